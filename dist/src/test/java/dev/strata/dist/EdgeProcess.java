package dev.strata.dist;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code strata edge} process in front of an origin, started from the test class path, its
 * standard error kept in a file. Closing stops it with SIGTERM (SIGKILL if it does not stop).
 */
final class EdgeProcess implements AutoCloseable {
    private final Process process;
    private final URI uri;
    private final @Nullable URI admin;
    private final Path stderr;

    private EdgeProcess(Process process, URI uri, @Nullable URI admin, Path stderr) {
        this.process = process;
        this.uri = uri;
        this.admin = admin;
        this.stderr = stderr;
    }

    /** A process run as it is. */
    static EdgeProcess start(String name, URI origin, Path cacheDir, Path stderr, String... jvmOptions)
            throws Exception {
        return start(List.of(), name, origin, cacheDir, stderr, List.of(), jvmOptions);
    }

    /** A process run as it is, with {@code args} after the usual ones (e.g. {@code --config FILE}). */
    static EdgeProcess start(
            String name, URI origin, Path cacheDir, Path stderr, List<String> args, String... jvmOptions)
            throws Exception {
        return start(List.of(), name, origin, cacheDir, stderr, args, jvmOptions);
    }

    /**
     * A process whose files may not grow past {@code kibibytes} (the shell's {@code ulimit -f}): a
     * write beyond fails with EFBIG, as writes on a full disk fail with ENOSPC.
     */
    static EdgeProcess startWithFileSizeLimit(
            long kibibytes,
            String name,
            URI origin,
            Path cacheDir,
            Path stderr,
            List<String> args,
            String... jvmOptions)
            throws Exception {
        // bash sets the limit, then exec hands its process to java with the arguments that follow.
        List<String> prefix = List.of("bash", "-c", "ulimit -f " + kibibytes + " && exec \"$0\" \"$@\"");
        return start(prefix, name, origin, cacheDir, stderr, args, jvmOptions);
    }

    private static EdgeProcess start(
            List<String> prefix,
            String name,
            URI origin,
            Path cacheDir,
            Path stderr,
            List<String> args,
            String... jvmOptions)
            throws Exception {
        List<String> arguments = new ArrayList<>(List.of(
                "--listen",
                "127.0.0.1:0",
                "--origin",
                origin.toString(),
                "--cache-dir",
                cacheDir.toString(),
                "--name",
                name,
                "--access-log",
                cacheDir.resolveSibling(name + "-access.log").toString()));
        arguments.addAll(args);
        return launch(prefix, List.of(jvmOptions), arguments, name, stderr);
    }

    /**
     * A process that reads {@code config}, with an admin listener: {@code strata edge --config FILE
     * --listen 127.0.0.1:0 --cache-dir DIR --admin 127.0.0.1:0 --name NAME}.
     */
    static EdgeProcess startWithConfig(String name, Path config, Path cacheDir, Path stderr) throws Exception {
        List<String> arguments = List.of(
                "--config",
                config.toString(),
                "--listen",
                "127.0.0.1:0",
                "--cache-dir",
                cacheDir.toString(),
                "--admin",
                "127.0.0.1:0",
                "--name",
                name,
                "--access-log",
                cacheDir.resolveSibling(name + "-access.log").toString());
        return launch(List.of(), List.of(), arguments, name, stderr);
    }

    private static EdgeProcess launch(
            List<String> prefix, List<String> jvmOptions, List<String> arguments, String name, Path stderr)
            throws Exception {
        List<String> edge = new ArrayList<>(List.of("edge"));
        edge.addAll(arguments);
        Process process = strata(prefix, jvmOptions, edge, stderr);
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = readLine(out, stderr);
        assertThat(line)
                .as("the edge's first line (stderr: %s)", Files.exists(stderr) ? Files.readString(stderr) : "")
                .startsWith("edge " + name + " http://127.0.0.1:");
        URI admin = null;
        if (arguments.contains("--admin")) {
            String adminLine = readLine(out, stderr);
            assertThat(adminLine).startsWith("admin " + name + " http://127.0.0.1:");
            admin = URI.create(adminLine.substring(("admin " + name + " ").length()));
        }
        return new EdgeProcess(process, URI.create(line.substring(("edge " + name + " ").length())), admin, stderr);
    }

    /**
     * Starts {@code strata ARGUMENTS} from the test class path, {@code prefix} before the {@code java}
     * command, its standard error in {@code stderr}.
     */
    static Process strata(List<String> prefix, List<String> jvmOptions, List<String> arguments, Path stderr)
            throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(arguments);
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
    }

    /** The next line of a process's standard output, waiting up to a minute. */
    static String readLine(BufferedReader out, Path stderr) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(60, SECONDS);
        assertThat(line)
                .as("a line from the edge (stderr: %s)", Files.exists(stderr) ? Files.readString(stderr) : "")
                .isNotNull();
        return line;
    }

    URI uri() {
        return uri;
    }

    /** The admin listener's URL; the process was started with {@code --admin}. */
    URI admin() {
        return requireNonNull(admin, "admin (started without --admin)");
    }

    Process process() {
        return process;
    }

    /** SIGHUP: the edge reloads its configuration file. */
    void hangUp() throws Exception {
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
                .redirectErrorStream(true)
                .start();
        assertThat(kill.waitFor(30, SECONDS)).isTrue();
        assertThat(kill.exitValue()).as("kill -HUP %d", process.pid()).isZero();
    }

    /** SIGTERM, without waiting. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit and returns its status. */
    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(60, SECONDS)).as("the edge exited").isTrue();
        return process.exitValue();
    }

    /** What the process wrote to standard error so far. */
    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    /** SIGKILL: no shutdown hook runs, RocksDB is not closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, SECONDS)).isTrue();
    }

    /** SIGTERM and the exit status, after a drain. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, SECONDS)) {
            process.destroyForcibly();
            process.waitFor(30, SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
