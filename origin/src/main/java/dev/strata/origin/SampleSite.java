package dev.strata.origin;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Generates the sample static site that {@code strata demo} serves from its origin: an {@code
 * index.html} linking everything else, a style sheet, a script, a JSON document, SVG, PNG and WebP
 * images, a WOFF2 font and one large binary for range requests and long transfers.
 *
 * <p>The output is deterministic: every run writes the same bytes (the PNG through this JDK's
 * ImageIO). Text files and the font are copied from resources; the images and the large file are
 * generated. The font is Inter (latin subset, weight 400) as shipped in the npm package {@code
 * @fontsource/inter} 5.3.0, under the SIL Open Font License 1.1, which is written next to it as
 * {@code fonts/OFL.txt}.
 *
 * <p>Thread-safe: it keeps no state.
 */
public final class SampleSite {
    /** The size of {@code downloads/big.bin}: 8 MiB. */
    public static final long BIG_FILE_SIZE = 8L * 1024 * 1024;

    private static final String RESOURCES = "sample/";
    private static final long BIG_FILE_SEED = 0x5747_4154_4100_0001L;
    private static final int CHUNK = 64 * 1024;
    private static final int PNG_SIZE = 256;
    private static final int WEBP_SIZE = 128;

    private static final List<String> FILES = List.of(
            "index.html",
            "robots.txt",
            "css/site.css",
            "js/app.js",
            "data/catalog.json",
            "img/logo.svg",
            "img/photo.png",
            "img/photo.webp",
            "fonts/inter.woff2",
            "fonts/OFL.txt",
            "downloads/big.bin");

    private SampleSite() {}

    /** The files {@link #generate} writes, as relative paths with {@code /} separators. */
    public static List<String> files() {
        return FILES;
    }

    /**
     * Writes the site into {@code dir}, which must be an existing, empty directory.
     *
     * @throws IllegalArgumentException when {@code dir} is not an empty directory
     * @throws UncheckedIOException when a file cannot be written
     */
    public static void generate(Path dir) {
        requireEmptyDirectory(dir);
        try {
            copy("index.html", dir.resolve("index.html"));
            copy("robots.txt", dir.resolve("robots.txt"));
            copy("site.css", dir.resolve("css/site.css"));
            copy("app.js", dir.resolve("js/app.js"));
            copy("catalog.json", dir.resolve("data/catalog.json"));
            copy("logo.svg", dir.resolve("img/logo.svg"));
            writePng(dir.resolve("img/photo.png"));
            write(dir.resolve("img/photo.webp"), webp());
            copy("inter-latin-400-normal.woff2", dir.resolve("fonts/inter.woff2"));
            copy("OFL.txt", dir.resolve("fonts/OFL.txt"));
            writeBigFile(dir.resolve("downloads/big.bin"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sample site to " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void requireEmptyDirectory(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("dir: " + dir + " (expected: an existing directory)");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException("dir: " + dir + " (expected: an empty directory)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = SampleSite.class.getResourceAsStream(RESOURCES + resource)) {
            if (in == null) {
                throw new IllegalStateException(
                        "missing resource " + RESOURCES + resource + " next to " + SampleSite.class);
            }
            Files.createDirectories(target.getParent());
            Files.copy(in, target);
        }
    }

    private static void write(Path target, byte[] bytes) throws IOException {
        Files.createDirectories(target.getParent());
        Files.write(target, bytes);
    }

    private static void writePng(Path target) throws IOException {
        BufferedImage image = new BufferedImage(PNG_SIZE, PNG_SIZE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < PNG_SIZE; y++) {
            for (int x = 0; x < PNG_SIZE; x++) {
                image.setRGB(x, y, gradient(x, y, PNG_SIZE));
            }
        }
        Files.createDirectories(target.getParent());
        if (!ImageIO.write(image, "png", target.toFile())) {
            throw new IllegalStateException("this JDK's ImageIO has no PNG writer");
        }
    }

    /** The same gradient as the PNG, smaller, as lossless WebP (see {@link Vp8lWriter}). */
    static byte[] webp() {
        int[] rgb = new int[WEBP_SIZE * WEBP_SIZE];
        for (int y = 0; y < WEBP_SIZE; y++) {
            for (int x = 0; x < WEBP_SIZE; x++) {
                rgb[y * WEBP_SIZE + x] = gradient(x, y, WEBP_SIZE);
            }
        }
        return Vp8lWriter.write(WEBP_SIZE, WEBP_SIZE, rgb);
    }

    /** A diagonal blue-to-orange gradient with a soft ring, as {@code 0xRRGGBB}. */
    static int gradient(int x, int y, int size) {
        double u = x / (double) (size - 1);
        double v = y / (double) (size - 1);
        double t = (u + v) / 2;
        double dx = u - 0.5;
        double dy = v - 0.5;
        double ring = Math.max(0, 1 - Math.abs(Math.sqrt(dx * dx + dy * dy) - 0.3) * 8);
        int r = channel(47 + t * (240 - 47) + ring * 15);
        int g = channel(111 + t * (160 - 111) + ring * 60);
        int b = channel(223 + t * (60 - 223) + ring * 30);
        return (r << 16) | (g << 8) | b;
    }

    private static int channel(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }

    /**
     * Writes {@link #BIG_FILE_SIZE} bytes from {@link Random} with a fixed seed, whose algorithm the
     * JDK specifies, so the file is the same everywhere; in chunks, never whole in memory.
     */
    private static void writeBigFile(Path target) throws IOException {
        Files.createDirectories(target.getParent());
        Random random = new Random(BIG_FILE_SEED);
        byte[] chunk = new byte[CHUNK];
        try (OutputStream out = Files.newOutputStream(target)) {
            for (long written = 0; written < BIG_FILE_SIZE; written += CHUNK) {
                random.nextBytes(chunk);
                out.write(chunk, 0, (int) Math.min(CHUNK, BIG_FILE_SIZE - written));
            }
        }
    }
}
