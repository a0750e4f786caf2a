package dev.strata.origin;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFileHandlerTest {
    private Path temp;

    private StaticFileHandler handler;

    @BeforeEach
    void site(@TempDir Path temp) throws IOException {
        this.temp = temp;
        Path site = Files.createDirectories(temp.resolve("site"));
        Files.writeString(site.resolve("index.html"), "<p>home</p>", UTF_8);
        Files.createDirectories(site.resolve("docs"));
        Files.writeString(site.resolve("docs/index.html"), "<p>docs</p>", UTF_8);
        Files.writeString(site.resolve("docs/a b.txt"), "spaced", UTF_8);
        Files.createDirectories(site.resolve("empty"));
        Files.writeString(temp.resolve("secret.txt"), "secret", UTF_8);
        Files.createSymbolicLink(site.resolve("escape.txt"), temp.resolve("secret.txt"));
        Files.createSymbolicLink(site.resolve("outside"), temp);
        handler = new StaticFileHandler(site.toRealPath(), "public, max-age=60", Clock.systemUTC());
    }

    @Test
    void decodesPercentEscapesStrictly() {
        assertThat(StaticFileHandler.decode("a%20b")).contains("a b");
        assertThat(StaticFileHandler.decode("%C3%A9")).contains("\u00e9");
        assertThat(StaticFileHandler.decode("%2e%2E")).contains("..");
        assertThat(StaticFileHandler.decode("%zz")).isEmpty();
        assertThat(StaticFileHandler.decode("%4")).isEmpty();
        assertThat(StaticFileHandler.decode("%c0%ae")).as("overlong UTF-8").isEmpty();
    }

    @Test
    void locatesFilesAndDirectoryIndexes() {
        assertThat(handler.locate("/")).hasToString(found("index.html", "index.html"));
        assertThat(handler.locate("/docs/")).hasToString(found("docs/index.html", "index.html"));
        assertThat(handler.locate("/docs/a%20b.txt")).hasToString(found("docs/a b.txt", "a b.txt"));
        assertThat(handler.locate("//docs//index.html")).hasToString(found("docs/index.html", "index.html"));
    }

    @Test
    void redirectsDirectoriesWithoutTheirSlash() {
        assertThat(handler.locate("/docs")).hasToString("Redirect[location=/docs/]");
    }

    @Test
    void neverLeavesTheRoot() {
        for (String path : new String[] {
            "/../secret.txt",
            "/%2e%2e/secret.txt",
            "/docs/%2E%2E/%2E%2E/secret.txt",
            "/..%2Fsecret.txt",
            "/..%5Csecret.txt",
            "/index.html%00.txt",
            "/./index.html",
            "/escape.txt",
            "/outside/secret.txt",
            "/empty/",
            "/index.html/",
            "/missing.txt"
        }) {
            assertThat(handler.locate(path)).as(path).hasToString("Missing[]");
        }
        for (String path : new String[] {"/%zz", "/a%", "/%c0%ae%c0%ae/secret.txt", "*", ""}) {
            assertThat(handler.locate(path)).as(path).hasToString("Invalid[]");
        }
    }

    private String found(String relative, String name) {
        try {
            Path file = temp.resolve("site").resolve(relative).toRealPath();
            return "Found[file=" + file + ", name=" + name + "]";
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
