package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code loadtest/floor.sh} builds its floors by applying {@code floor.patch}, then {@code
 * floor-min.patch}, to this checkout: a change to the code they patch must move them too, and this
 * test says so at build time rather than at the next benchmark.
 */
class FloorPatchesTest {
    private static final List<String> PATCHES = List.of("floor.patch", "floor-min.patch");

    @Test
    void bothPatchesApplyInTurnAndChangeEveryFileTheyName(@TempDir Path work) throws Exception {
        Path root = findRoot();
        // A directory of its own under the temporary one, which git must not take for part of a
        // repository above it (GIT_CEILING_DIRECTORIES): there git apply skips every path and
        // succeeds without changing anything.
        Path copy = Files.createDirectory(work.resolve("copy"));
        Map<String, String> before = new LinkedHashMap<>();
        for (String patch : PATCHES) {
            for (String file : patchedFiles(root.resolve("loadtest").resolve(patch))) {
                if (!before.containsKey(file)) {
                    Path target = copy.resolve(file);
                    Files.createDirectories(target.getParent());
                    Files.copy(root.resolve(file), target);
                    before.put(file, Files.readString(target));
                }
            }
        }
        for (String patch : PATCHES) {
            gitApply(copy, work, root.resolve("loadtest").resolve(patch));
        }
        for (Map.Entry<String, String> file : before.entrySet()) {
            assertThat(Files.readString(copy.resolve(file.getKey())))
                    .as("%s after the patches", file.getKey())
                    .isNotEqualTo(file.getValue());
        }
    }

    private static void gitApply(Path dir, Path ceiling, Path patch) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("git", "apply", patch.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("GIT_"));
        builder.environment().put("GIT_CEILING_DIRECTORIES", ceiling.toString());
        Process git = builder.start();
        String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!git.waitFor(60, TimeUnit.SECONDS)) {
            git.destroyForcibly();
            throw new AssertionError("git apply " + patch + " did not finish in 60 s");
        }
        assertThat(git.exitValue())
                .as("loadtest/%s no longer applies; update it:%n%s", patch.getFileName(), output)
                .isZero();
    }

    /** The files a patch changes, relative to the repository's root ({@code +++ b/PATH}). */
    private static List<String> patchedFiles(Path patch) throws IOException {
        return Files.readAllLines(patch, StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith("+++ b/"))
                .map(line -> line.substring("+++ b/".length()))
                .toList();
    }

    /** The repository's root: the module directory Surefire runs in, or a directory above it. */
    private static Path findRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("loadtest").resolve("floor.patch"))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no loadtest/floor.patch above " + Path.of("").toAbsolutePath());
    }
}
