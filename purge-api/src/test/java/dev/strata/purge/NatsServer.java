package dev.strata.purge;

import static java.util.Objects.requireNonNull;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.config.NatsLogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code nats-server} with JetStream for one test class, registered as a static extension
 * ({@code @RegisterExtension static final NatsServer nats = new NatsServer();}): its own process,
 * storing in a temporary directory, listening on 127.0.0.1 on a port the server picks ({@code -p
 * -1}, read back from its ports file). Stopped by its process (SIGTERM), never by name. Without the
 * binary the tests fail, naming the package to install: CI installs it (.ci/run).
 */
final class NatsServer implements BeforeAllCallback, AfterAllCallback {
    /** Where Debian's package and a manual install put the binary, after the PATH. */
    private static final List<Path> PLACES = List.of(
            Path.of("/usr/sbin/nats-server"), Path.of("/usr/bin/nats-server"), Path.of("/usr/local/bin/nats-server"));

    private static final AtomicInteger streams = new AtomicInteger();

    private @Nullable Path binary;
    private @Nullable Path dir;
    private @Nullable Process process;
    private int port = -1;

    /** Starts the server, keeping its JetStream files in a new temporary directory. */
    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        binary = binary(); // fails the class, naming the package, when nats-server is missing
        dir = Files.createTempDirectory("nats-server");
        start();
    }

    /** Stops the server and deletes its files. */
    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        Path files = dir;
        if (files != null) {
            try (Stream<Path> all = Files.walk(files)) {
                for (Path path : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    static Path binary() {
        List<Path> candidates = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String entry : path.split(":")) {
                if (!entry.isEmpty()) {
                    candidates.add(Path.of(entry, "nats-server"));
                }
            }
        }
        candidates.addAll(PLACES);
        return candidates.stream()
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("nats-server is not installed (looked in the PATH and "
                        + PLACES + "): the JetStream purge log tests need a real one. Install it, e.g. on Debian:"
                        + " apt-get install nats-server (.ci/run does)"));
    }

    private void start() {
        Path binary = requireNonNull(this.binary, "binary");
        Path dir = requireNonNull(this.dir, "dir");
        Path ports = dir.resolve("ports");
        try {
            Files.createDirectories(ports);
            try (Stream<Path> old = Files.list(ports)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
            process = new ProcessBuilder(
                            binary.toString(),
                            "-js",
                            "-sd",
                            dir.resolve("jetstream").toString(),
                            "-a",
                            "127.0.0.1",
                            "-p",
                            Integer.toString(port),
                            "--ports_file_dir",
                            ports.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("nats-server.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + binary, e);
        }
        Process started = process;
        Path portsFile = ports.resolve("nats-server_" + started.pid() + ".ports");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .failFast("nats-server exited; see " + dir.resolve("nats-server.log"), () -> !started.isAlive())
                .until(() -> Files.isRegularFile(portsFile) && Files.size(portsFile) > 0);
        try {
            JsonNode written = PurgeJson.parse(Files.readAllBytes(portsFile));
            port = URI.create(written.path("nats").get(0).asText()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URL clients connect to. */
    URI url() {
        return URI.create("nats://127.0.0.1:" + port);
    }

    /** A log configuration on this server with a stream no other test uses. */
    NatsLogConfig newStream() {
        return new NatsLogConfig(List.of(url()), "T" + streams.incrementAndGet());
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits until it has exited. */
    void stop() {
        Process running = process;
        if (running == null) {
            return;
        }
        running.destroy();
        try {
            if (!running.waitFor(10, TimeUnit.SECONDS)) {
                running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** Starts the server again on the same port, with the same files. */
    void restart() {
        stop();
        start();
    }
}
