package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line's exit statuses and messages; no sockets. */
class MainTest {
    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    @BeforeEach
    void capture() {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void configCheckRejectsABrokenFileNamingFileLineAndKeyPathWithStatus2() throws Exception {
        Path file = dir.resolve("strata.yaml");
        Files.writeString(file, "edge:\n  listen: 127.0.0.1:8080\n  cache:\n    memory: 64XB\n");

        int status = Main.execute("config", "check", file.toString());

        assertThat(status).isEqualTo(2);
        assertThat(stderr().strip())
                .isEqualTo("strata: " + file + ":4: edge.cache.memory: \"64XB\" is not a size (expected: e.g. 512MiB)");
    }

    @Test
    void configCheckPrintsTheEffectiveConfigurationOfTheExample() {
        Path example = Path.of("..", "docs", "strata.example.yaml");

        int status = Main.execute("config", "check", example.toString());

        assertThat(status).as(stderr()).isZero();
        assertThat(stdout())
                .contains("valid; effective configuration")
                .contains("edge:")
                .contains("sites:");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--workload purge-storm --with-origin|sends purges at a constant rate (expected: --rate N",
                "--workload purge-storm --target http://127.0.0.1:1 --rate 10 --purge-token=|--purge-token: missing",
                "--workload purge-storm --with-origin --rate 10 --hit-target http://127.0.0.1:1/|--hit-target needs"
                        + " --target",
                "--workload purge-storm --target http://127.0.0.1:1 --purge-token t --rate 10 --hit-rate 5|--hit-rate"
                        + " with --target needs --hit-target",
                "--target http://127.0.0.1:1 --nodes 3|--nodes, --hit-rate and --hit-target need --workload purge-storm"
            })
    void purgeStormFlagsThatDoNotFitAreRefusedWithStatus2(String argsAndMessage) {
        String[] parts = argsAndMessage.split("\\|", 2);
        String[] args = ("loadtest " + parts[0]).split(" ");

        int status = Main.execute(args);

        assertThat(status).as(stderr()).isEqualTo(2);
        assertThat(stderr()).contains(parts[1]);
    }

    @Test
    void aBadFlagIsAConfigurationErrorWithStatus2() {
        int status = Main.execute("edge", "--listen", "nowhere", "--origin", "http://127.0.0.1:1");

        assertThat(status).isEqualTo(2);
        assertThat(stderr()).contains("command line: edge.listen: \"nowhere\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "edge", "shield", "origin", "purge-api", "config"})
    void everySubCommandHasHelp(String command) {
        int status = Main.execute(command, "--help");

        assertThat(status).isZero();
        assertThat(stdout()).contains("Usage: strata " + command);
    }
}
