package dev.strata.proxy.compress;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The encoders: Brotli through Brotli4j (Google's reference encoder, JNI) and gzip through the JDK's
 * zlib. Compressing is CPU work on a whole body: callers run it off the I/O threads, except for tiny
 * bodies. Stateless and thread-safe: every call makes its own encoder.
 *
 * <p>When Brotli4j's native library cannot be loaded (another platform, a temporary directory that
 * is not writable), {@link #available} says so once in the log and the edge offers gzip alone;
 * it starts and serves all the same.
 */
public final class Compressor {
    private static final Logger log = LoggerFactory.getLogger(Compressor.class);
    private static final AtomicBoolean LOGGED = new AtomicBoolean();

    private final boolean brotli;

    /** @param brotli whether Brotli is offered (its native library loaded) */
    public Compressor(boolean brotli) {
        this.brotli = brotli;
    }

    /**
     * The encoders this process has: Brotli when Brotli4j's native library loads (logged once per
     * process, with the reason, when it does not), gzip always.
     */
    public static Compressor available() {
        boolean loaded;
        Throwable cause;
        try {
            loaded = Brotli4jLoader.isAvailable();
            cause = loaded ? null : Brotli4jLoader.getUnavailabilityCause();
        } catch (LinkageError e) {
            loaded = false;
            cause = e;
        }
        if (!loaded && LOGGED.compareAndSet(false, true)) {
            log.warn(
                    "Brotli is not available ({}): compressing with gzip only",
                    cause == null ? "no reason given" : cause.toString());
        }
        return new Compressor(loaded);
    }

    /** Whether {@code br} can be produced. */
    public boolean brotli() {
        return brotli;
    }

    /**
     * {@code body} in {@code coding}, at the policy's level.
     *
     * @throws IllegalStateException for {@code br} when Brotli is not available
     * @throws UncheckedIOException when the encoder fails
     */
    public byte[] compress(ContentCoding coding, byte[] body, CompressionPolicy policy) {
        return switch (coding) {
            case BR -> brotli(body, policy.brotliQuality());
            case GZIP -> gzip(body, policy.gzipLevel());
        };
    }

    private byte[] brotli(byte[] body, int quality) {
        if (!brotli) {
            throw new IllegalStateException("Brotli is not available");
        }
        try {
            return Encoder.compress(body, new Encoder.Parameters().setQuality(quality));
        } catch (IOException e) {
            throw new UncheckedIOException("brotli: " + e.getMessage(), e);
        }
    }

    /** gzip (RFC 1952) with zlib at {@code level}; the header says no name and no time, so output is reproducible. */
    static byte[] gzip(byte[] body, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 3));
        try (OutputStream gzip = new LeveledGzip(out, level)) {
            gzip.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip: " + e.getMessage(), e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    /** The JDK's gzip stream at a chosen deflate level. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, 8192);
            def.setLevel(level);
            def.setStrategy(Deflater.DEFAULT_STRATEGY);
        }
    }
}
