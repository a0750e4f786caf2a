package dev.strata.origin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes an opaque RGB image as a lossless WebP file (a RIFF container holding one {@code VP8L}
 * chunk), because ImageIO cannot write WebP and the sample site should not need a native encoder.
 *
 * <p>The bitstream is the simplest valid one the VP8L format allows (RFC 9649 §3): no transforms,
 * no color cache, no meta prefix codes, and every pixel a literal. The green, red and blue prefix
 * codes each give all 256 byte values a code of length 8, so in canonical order the code of value
 * {@code v} is {@code v} itself, written most significant bit first as the format reads prefix
 * codes. Those code lengths are sent as a "normal" code-length code with two symbols ({@code 0} and
 * {@code 8}) of one bit each, which is a complete prefix code. Alpha is a "simple" code with the one
 * symbol 255 and distance one with the one symbol 0, so both cost zero bits per pixel. The result is
 * uncompressed (3 bytes a pixel) but valid. How that was made sure: libwebp's {@code dwebp} decodes
 * it to exactly the input pixels (and {@code webpinfo} reports no error), and {@code SampleSiteTest}
 * always checks the RIFF framing and the VP8L header, and repeats the full {@code dwebp} pixel
 * comparison whenever that tool is installed (Debian package {@code webp}).
 */
final class Vp8lWriter {
    private static final int SIGNATURE = 0x2f;
    // The order in which code-length-code lengths are sent (RFC 9649 §3.7.2.1.2).
    private static final int[] CODE_LENGTH_ORDER = {17, 18, 0, 1, 2, 3, 4, 5, 16, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    private static final int GREEN_ALPHABET = 256 + 24;

    private Vp8lWriter() {}

    /**
     * Encodes {@code rgb} (row-major, {@code 0xRRGGBB} per pixel) as a complete WebP file.
     *
     * @throws IllegalArgumentException when the size is outside 1..16384 or does not match the array
     */
    static byte[] write(int width, int height, int[] rgb) {
        if (width < 1 || width > 16384 || height < 1 || height > 16384) {
            throw new IllegalArgumentException("size: " + width + "x" + height + " (expected: 1..16384 on each side)");
        }
        if (rgb.length != width * height) {
            throw new IllegalArgumentException("rgb.length: " + rgb.length + " (expected: " + width * height + ")");
        }
        BitWriter bits = new BitWriter(width * height * 3 + 64);
        bits.write(SIGNATURE, 8);
        bits.write(width - 1, 14);
        bits.write(height - 1, 14);
        bits.write(0, 1); // alpha_is_used: every pixel is opaque
        bits.write(0, 3); // version
        bits.write(0, 1); // no transform
        bits.write(0, 1); // no color cache
        bits.write(0, 1); // no meta prefix codes
        writeEightBitCode(bits, GREEN_ALPHABET); // green + length prefixes (never used)
        writeEightBitCode(bits, 256); // red
        writeEightBitCode(bits, 256); // blue
        writeSingleSymbolCode(bits, 255); // alpha: always 255
        writeSingleSymbolCode(bits, 0); // distance: never used
        for (int pixel : rgb) {
            writeCode(bits, (pixel >>> 8) & 0xff); // green first, as the decoder reads it
            writeCode(bits, (pixel >>> 16) & 0xff);
            writeCode(bits, pixel & 0xff);
        }
        return riff(bits.toByteArray());
    }

    /** A normal prefix code giving symbols 0..255 length 8 and any further symbols length 0. */
    private static void writeEightBitCode(BitWriter bits, int alphabetSize) {
        bits.write(0, 1); // normal (not simple) code
        int count = 12; // up to symbol 8, the 12th entry of CODE_LENGTH_ORDER
        bits.write(count - 4, 4);
        for (int i = 0; i < count; i++) {
            int symbol = CODE_LENGTH_ORDER[i];
            bits.write(symbol == 0 || symbol == 8 ? 1 : 0, 3);
        }
        bits.write(0, 1); // max_symbol is the alphabet size
        for (int symbol = 0; symbol < alphabetSize; symbol++) {
            // Canonical code-length code: symbol 0 is bit 0, symbol 8 is bit 1.
            bits.write(symbol < 256 ? 1 : 0, 1);
        }
    }

    /** A simple prefix code with one 8-bit symbol, which costs zero bits per use. */
    private static void writeSingleSymbolCode(BitWriter bits, int symbol) {
        bits.write(1, 1); // simple code
        bits.write(0, 1); // one symbol
        bits.write(1, 1); // the symbol is 8 bits wide
        bits.write(symbol, 8);
    }

    /** Writes the 8-bit canonical code of {@code value}, most significant bit first. */
    private static void writeCode(BitWriter bits, int value) {
        for (int bit = 7; bit >= 0; bit--) {
            bits.write((value >>> bit) & 1, 1);
        }
    }

    private static byte[] riff(byte[] vp8l) {
        int padding = vp8l.length & 1;
        ByteBuffer file = ByteBuffer.allocate(20 + vp8l.length + padding).order(ByteOrder.LITTLE_ENDIAN);
        file.put(new byte[] {'R', 'I', 'F', 'F'});
        file.putInt(12 + vp8l.length + padding); // everything after this field
        file.put(new byte[] {'W', 'E', 'B', 'P', 'V', 'P', '8', 'L'});
        file.putInt(vp8l.length); // the chunk size excludes the padding byte
        file.put(vp8l);
        return file.array();
    }

    /** Packs values least significant bit first, as VP8L's ReadBits expects. */
    private static final class BitWriter {
        private final ByteArrayOutputStream out;
        private long pending;
        private int pendingBits;

        BitWriter(int expectedBytes) {
            this.out = new ByteArrayOutputStream(expectedBytes);
        }

        void write(int value, int count) {
            pending |= ((long) value & ((1L << count) - 1)) << pendingBits;
            pendingBits += count;
            while (pendingBits >= 8) {
                out.write((int) (pending & 0xff));
                pending >>>= 8;
                pendingBits -= 8;
            }
        }

        byte[] toByteArray() {
            if (pendingBits > 0) {
                out.write((int) (pending & 0xff));
                pending = 0;
                pendingBits = 0;
            }
            return out.toByteArray();
        }
    }
}
