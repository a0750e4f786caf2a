package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ByteSizeTest {

    @Property
    void writtenSizeParsesBackToItself(@ForAll("sizes") ByteSize size) {
        assertThat(ByteSize.parse(size.toString())).isEqualTo(size);
    }

    @Provide
    Arbitrary<ByteSize> sizes() {
        Arbitrary<Long> bytes = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Integer> shift = Arbitraries.integers().between(0, 40);
        // Many sizes in configuration are round binary multiples; shifting exercises every unit.
        return Arbitraries.oneOf(
                bytes.map(ByteSize::ofBytes), bytes.flatMap(b -> shift.map(s -> ByteSize.ofBytes((b >>> s) << s))));
    }

    @Example
    void readsBinaryAndDecimalUnits() {
        assertThat(ByteSize.parse("512MiB")).isEqualTo(ByteSize.ofMebibytes(512));
        assertThat(ByteSize.parse("10MB")).isEqualTo(ByteSize.ofBytes(10_000_000));
        assertThat(ByteSize.parse("4096")).isEqualTo(ByteSize.ofKibibytes(4));
    }

    @Example
    void rejectsWhatIsNotASize() {
        assertThatThrownBy(() -> ByteSize.parse("64XB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("\"64XB\" is not a size (expected: e.g. 512MiB)");
    }
}
