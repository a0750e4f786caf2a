package dev.strata.origin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleSiteTest {

    @Test
    void writesEveryListedFileAndNothingElse(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        for (String file : SampleSite.files()) {
            assertThat(site.resolve(file)).isRegularFile();
            assertThat(Files.size(site.resolve(file))).as(file).isPositive();
        }
        try (var walk = Files.walk(site)) {
            assertThat(walk.filter(Files::isRegularFile).count())
                    .isEqualTo(SampleSite.files().size());
        }
    }

    @Test
    void indexLinksOrLoadsEveryOtherFile(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        String index = Files.readString(site.resolve("index.html"), UTF_8);
        String css = Files.readString(site.resolve("css/site.css"), UTF_8);
        String js = Files.readString(site.resolve("js/app.js"), UTF_8);
        assertThat(index)
                .contains("Strata demo")
                .contains("href=\"css/site.css\"", "src=\"js/app.js\"", "src=\"img/logo.svg\"")
                .contains("src=\"img/photo.png\"", "src=\"img/photo.webp\"", "href=\"fonts/inter.woff2\"")
                .contains("href=\"data/catalog.json\"", "href=\"downloads/big.bin\"", "href=\"fonts/OFL.txt\"");
        assertThat(css).contains("url(\"../fonts/inter.woff2\") format(\"woff2\")");
        assertThat(js).contains("fetch(\"data/catalog.json\")");
    }

    @Test
    void pngDecodesWithImageIo(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        BufferedImage image = ImageIO.read(site.resolve("img/photo.png").toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(256);
        assertThat(image.getHeight()).isEqualTo(256);
        assertThat(image.getRGB(0, 0) & 0xffffff).isEqualTo(SampleSite.gradient(0, 0, 256));
        assertThat(image.getRGB(200, 17) & 0xffffff).isEqualTo(SampleSite.gradient(200, 17, 256));
    }

    @Test
    void webpHasValidRiffFramingAndVp8lHeader(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        byte[] webp = Files.readAllBytes(site.resolve("img/photo.webp"));
        ByteBuffer le = ByteBuffer.wrap(webp).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(webp, 0, 4, UTF_8)).isEqualTo("RIFF");
        assertThat(le.getInt(4)).as("RIFF size").isEqualTo(webp.length - 8);
        assertThat(new String(webp, 8, 4, UTF_8)).isEqualTo("WEBP");
        assertThat(new String(webp, 12, 4, UTF_8)).isEqualTo("VP8L");
        int chunkSize = le.getInt(16);
        assertThat(20 + chunkSize + (chunkSize & 1)).as("chunk fills the file").isEqualTo(webp.length);
        assertThat(webp[20]).as("VP8L signature").isEqualTo((byte) 0x2f);
        int header = le.getInt(21);
        assertThat((header & 0x3fff) + 1).as("width").isEqualTo(128);
        assertThat(((header >>> 14) & 0x3fff) + 1).as("height").isEqualTo(128);
        assertThat(header >>> 29).as("version").isZero();
        // Three literal bytes a pixel plus the prefix code headers.
        assertThat(chunkSize).isGreaterThan(128 * 128 * 3);
    }

    /** Checks the encoder against libwebp when its {@code dwebp} tool is installed. */
    @Test
    void webpDecodesToTheSamePixelsWithLibwebp(@TempDir Path site) throws Exception {
        assumeTrue(onPath("dwebp"), "dwebp (Debian package webp) is not installed");
        SampleSite.generate(site);
        Path ppm = site.resolve("decoded.ppm");

        Process dwebp = new ProcessBuilder(
                        "dwebp", site.resolve("img/photo.webp").toString(), "-ppm", "-o", ppm.toString())
                .redirectErrorStream(true)
                .start();
        dwebp.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(dwebp.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dwebp.exitValue()).isZero();

        byte[] decoded = Files.readAllBytes(ppm);
        byte[] header = "P6\n128 128\n255\n".getBytes(UTF_8);
        assertThat(decoded).startsWith(header);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                int at = header.length + (y * 128 + x) * 3;
                int rgb = (decoded[at] & 0xff) << 16 | (decoded[at + 1] & 0xff) << 8 | (decoded[at + 2] & 0xff);
                assertThat(rgb).as("pixel %d,%d", x, y).isEqualTo(SampleSite.gradient(x, y, 128));
            }
        }
    }

    @Test
    void woff2IsTheRealFontWithItsLicense(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        byte[] font = Files.readAllBytes(site.resolve("fonts/inter.woff2"));
        assertThat(new String(font, 0, 4, UTF_8)).isEqualTo("wOF2");
        assertThat(ByteBuffer.wrap(font).getInt(8)).as("WOFF2 header length").isEqualTo(font.length);
        assertThat(Files.readString(site.resolve("fonts/OFL.txt"), UTF_8)).contains("SIL Open Font License");
    }

    @Test
    void bigFileIsSeveralMebibytes(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        assertThat(Files.size(site.resolve("downloads/big.bin"))).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void catalogIsJsonListingTheSite(@TempDir Path site) throws IOException {
        SampleSite.generate(site);

        String catalog =
                Files.readString(site.resolve("data/catalog.json"), UTF_8).strip();
        assertThat(catalog).startsWith("{").endsWith("}");
        for (String file : SampleSite.files()) {
            if (!List.of("robots.txt", "fonts/OFL.txt", "data/catalog.json").contains(file)) {
                assertThat(catalog).contains("\"path\": \"" + file + "\"");
            }
        }
    }

    @Test
    void outputIsTheSameEveryRun(@TempDir Path site, @TempDir Path other) throws IOException {
        SampleSite.generate(site);
        SampleSite.generate(other);

        assertThat(hashes(other)).isEqualTo(hashes(site));
    }

    @Test
    void refusesADirectoryThatIsNotEmpty(@TempDir Path site) throws IOException {
        Files.writeString(site.resolve("keep.txt"), "mine", UTF_8);

        assertThatThrownBy(() -> SampleSite.generate(site))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: an empty directory");
        assertThatThrownBy(() -> SampleSite.generate(site.resolve("missing")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected: an existing directory");
    }

    private static Map<String, String> hashes(Path dir) throws IOException {
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String file : SampleSite.files()) {
            hashes.put(file, sha256(dir.resolve(file)));
        }
        return hashes;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
