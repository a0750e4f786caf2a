package dev.strata.proxy.waf;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Percent-decoding of request parts: round trips, what it flags, and that it never fails. */
class PercentDecoderTest {
    private final PercentDecoder decoder = new PercentDecoder();

    @Property
    void decodingUndoesFormEncoding(@ForAll @StringLength(max = 200) String text) {
        String encoded = URLEncoder.encode(text, StandardCharsets.UTF_8);

        String decoded = new PercentDecoder().decode(encoded, true);

        // Lone surrogates are not UTF-8: the encoder writes '?' for them, as String.getBytes does.
        assertThat(decoded).isEqualTo(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Property
    void anyInputDecodesWithoutFailing(@ForAll @StringLength(max = 200) String text) {
        PercentDecoder fresh = new PercentDecoder();

        assertThat(fresh.decode(text, false)).isNotNull();
        assertThat(fresh.problems() & ~(PercentDecoder.MALFORMED | PercentDecoder.OVERLONG))
                .isZero();
    }

    @Test
    void textWithoutEscapesIsReturnedAsItIs() {
        String plain = "/css/site.css";

        assertThat(decoder.decode(plain, true)).isSameAs(plain);
        assertThat(decoder.problems()).isZero();
    }

    @Test
    void problemsAreFlagged() {
        assertThat(decoder.decode("a%zzb%4", false)).isEqualTo("a%zzb%4");
        assertThat(decoder.problems()).isEqualTo(PercentDecoder.MALFORMED);
        assertThat(decoder.decode("%c0%ae%c0%ae", false)).isEqualTo("\ufffd\ufffd\ufffd\ufffd");
        assertThat(decoder.problems()).isEqualTo(PercentDecoder.OVERLONG);
        assertThat(decoder.decode("%e0%80%ae", false)).hasSize(3);
        assertThat(decoder.problems()).isEqualTo(PercentDecoder.OVERLONG);
        assertThat(decoder.decode("caf%E9", false)).isEqualTo("caf\ufffd");
        assertThat(decoder.problems()).as("Latin-1 is not overlong").isZero();
        assertThat(decoder.decode("a+b%2Bc", true)).isEqualTo("a b+c");
        assertThat(decoder.decode("a+b", false)).isEqualTo("a+b");
        assertThat(decoder.decode("%E2%82%AC", false)).isEqualTo("€");
        assertThat(decoder.decode("é%20x", false)).isEqualTo("é x");
    }
}
