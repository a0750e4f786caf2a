package dev.strata.dist;

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

/**
 * A real {@code strata edge} process in front of an origin, started from the test class path, its
 * standard error kept in a file. Closing stops it with SIGTERM (SIGKILL if it does not stop).
 */
final class EdgeProcess implements AutoCloseable {
    private final Process process;
    private final URI uri;
    private final Path stderr;

    private EdgeProcess(Process process, URI uri, Path stderr) {
        this.process = process;
        this.uri = uri;
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
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "edge",
                "--listen",
                "127.0.0.1:0",
                "--origin",
                origin.toString(),
                "--cache-dir",
                cacheDir.toString(),
                "--name",
                name));
        command.addAll(args);
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.to(stderr.toFile()))
                .start();
        BufferedReader out =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .get(60, SECONDS);
        assertThat(line)
                .as("the edge's first line (stderr: %s)", Files.exists(stderr) ? Files.readString(stderr) : "")
                .startsWith("edge " + name + " http://127.0.0.1:");
        return new EdgeProcess(process, URI.create(line.substring(("edge " + name + " ").length())), stderr);
    }

    URI uri() {
        return uri;
    }

    Process process() {
        return process;
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
