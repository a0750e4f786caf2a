package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadtest/floor.sh} builds its floors by applying {@code floor.patch}, then {@code
 * floor-min.patch}, to this checkout: a change to the code they patch must move them too, and this
 * test says so at build time rather than at the next benchmark.
 */
class FloorPatchesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final List<String> PATCHES = List.of("floor.patch", "floor-min.patch");

    @Test
    void bothPatchesApplyInTurnToTheSourcesTheyChange(@TempDir Path copy) throws Exception {
        for (String patch : PATCHES) {
            for (String file : patchedFiles(ROOT.resolve("loadtest").resolve(patch))) {
                Path target = copy.resolve(file);
                if (!Files.exists(target)) {
                    Files.createDirectories(target.getParent());
                    Files.copy(ROOT.resolve(file), target);
                }
            }
        }
        for (String patch : PATCHES) {
            Process git = new ProcessBuilder(
                            "git",
                            "apply",
                            ROOT.resolve("loadtest").resolve(patch).toString())
                    .directory(copy.toFile())
                    .redirectErrorStream(true)
                    .start();
            assertThat(git.waitFor(60, TimeUnit.SECONDS))
                    .as("git apply %s finished", patch)
                    .isTrue();
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(git.exitValue())
                    .as("loadtest/%s no longer applies; update it:%n%s", patch, output)
                    .isZero();
        }
    }

    /** The files a patch changes, relative to the repository's root ({@code +++ b/PATH}). */
    private static List<String> patchedFiles(Path patch) throws IOException {
        return Files.readAllLines(patch, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("+++ b/"))
                .map(line -> line.substring("+++ b/".length()))
                .toList();
    }
}
