package dev.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BodyTest {
    private static final byte[] BYTES = "0123456789".getBytes(StandardCharsets.US_ASCII);

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    @Test
    void everyReaderGetsAViewOfItsOwn() {
        Body body = Body.of(BYTES).toDirect();
        ByteBuffer first = body.view();
        ByteBuffer second = body.view();

        assertThat(text(first)).isEqualTo("0123456789");
        assertThat(first.hasRemaining()).isFalse();
        assertThat(text(second)).as("unaffected by the first reader").isEqualTo("0123456789");
        assertThat(body.view().isReadOnly()).isTrue();
    }

    @Test
    void aPartIsAViewOfThoseBytes() {
        for (Body body : new Body[] {Body.of(BYTES), Body.of(BYTES).toDirect()}) {
            ByteBuffer part = body.view(3, 4);
            assertThat(part.position()).isZero();
            assertThat(text(part)).isEqualTo("3456");
            assertThat(text(body.view(10, 0))).isEmpty();
            assertThatThrownBy(() -> body.view(8, 3))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessageContaining("8+3 of a body of 10");
        }
    }

    @Test
    void directMemoryHoldsACopyEqualToTheHeapBody() {
        Body heap = Body.of(BYTES);
        Body direct = heap.toDirect();

        assertThat(heap.isDirect()).isFalse();
        assertThat(direct.isDirect()).isTrue();
        assertThat(direct).isEqualTo(heap).hasSameHashCodeAs(heap);
        assertThat(direct.toDirect()).isSameAs(direct);
        assertThat(direct.length()).isEqualTo(10);
        assertThat(direct.crc32c()).isEqualTo(heap.crc32c()).isEqualTo(DiskFormat.crc(BYTES));
        assertThat(direct.toArray()).isEqualTo(BYTES).isNotSameAs(BYTES);
        assertThat(heap.toArray())
                .as("a heap body's array is shared, not copied")
                .isSameAs(BYTES);
    }

    @Test
    void anEmptyBodyStaysOnTheHeap() {
        assertThat(Body.empty().length()).isZero();
        assertThat(Body.empty().toDirect()).isSameAs(Body.empty());
        assertThat(Body.of(new byte[0])).isEqualTo(Body.empty());
    }
}
