package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.strata.config.ConfigException;
import dev.strata.proxy.ProxyNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code strata edge --origin URL} in front of a plain HTTP server that is not Strata's. */
class EdgeCommandIT {
    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    @SuppressWarnings("NullAway.Init")
    private HttpServer plain;

    private final AtomicInteger requests = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startPlainServer() throws Exception {
        plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        plain.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = ("hello from " + exchange.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Cache-Control", "max-age=300");
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        plain.start();
    }

    @AfterEach
    void stopPlainServer() {
        plain.stop(0);
    }

    private URI plainUri() {
        return URI.create("http://127.0.0.1:" + plain.getAddress().getPort());
    }

    private static EdgeCommand parse(String... args) {
        EdgeCommand command = new EdgeCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }

    @Test
    void frontsAnyHttpOriginWithMissThenHit() throws Exception {
        EdgeCommand command = parse(
                "--listen",
                "127.0.0.1:0",
                "--origin",
                plainUri().toString(),
                "--cache-dir",
                dir.resolve("cache").toString(),
                "--name",
                "pop1",
                "--access-log",
                dir.resolve("logs").resolve("{role}-{name}.log").toString());
        Path accessLog = dir.resolve("logs").resolve("edge-pop1.log");
        try (ProxyNode edge = command.start(Clock.systemUTC())) {
            HttpResponse<String> first = http.send(
                    HttpRequest.newBuilder(edge.uri().resolve("/a?x=1")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = http.send(
                    HttpRequest.newBuilder(edge.uri().resolve("/a?x=1")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(first.headers().firstValue("X-Cache")).hasValue("MISS");
            assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
            assertThat(second.headers().firstValue("X-Served-By")).hasValue("pop1");
            assertThat(second.body()).isEqualTo(first.body()).isEqualTo("hello from /a?x=1");
            assertThat(requests.get()).isEqualTo(1);
            assertThat(edge.accessLog().orElseThrow().path()).isEqualTo(accessLog);
        }
        // Closed: every request is in the log, in the combined format.
        assertThat(Files.readAllLines(accessLog))
                .hasSize(2)
                .allSatisfy(line -> assertThat(line).contains("\"GET /a?x=1 HTTP/1.1\" 200 "))
                .satisfiesExactly(miss -> assertThat(miss).contains(" MISS "), hit -> assertThat(hit)
                        .contains(" HIT "));
    }

    @Test
    void aCacheDirectoryThatWillNotOpenIsMovedAsideAndTheEdgeServes() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("cache"));
        Files.writeString(cache.resolve("CURRENT"), "MANIFEST-000042\n");
        Files.write(cache.resolve("MANIFEST-000042"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        EdgeCommand command = parse(
                "--listen",
                "127.0.0.1:0",
                "--origin",
                plainUri().toString(),
                "--cache-dir",
                cache.toString(),
                "--access-log",
                "off");

        try (ProxyNode edge = command.start(Clock.systemUTC())) {
            assertThat(edge.accessLog()).isEmpty();
            HttpResponse<String> first = http.send(
                    HttpRequest.newBuilder(edge.uri().resolve("/b")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> second = http.send(
                    HttpRequest.newBuilder(edge.uri().resolve("/b")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.headers().firstValue("X-Cache")).hasValue("HIT");
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(path -> path.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("cache.broken-"));
        }
    }

    @Test
    void rejectsAnOriginThatIsNotAnHttpUrl() {
        EdgeCommand command = parse("--listen", "127.0.0.1:0", "--origin", "ftp://files.example.com");

        assertThatThrownBy(command::configuration)
                .isInstanceOf(ConfigException.class)
                .hasMessage("command line: --origin: \"ftp://files.example.com\" is not an http(s) URL"
                        + " (expected: e.g. http://127.0.0.1:8000)");
    }

    @Test
    void rejectsOriginAndShieldTogether() {
        EdgeCommand command = parse("--origin", "http://127.0.0.1:1", "--shield", "http://127.0.0.1:2");

        assertThatThrownBy(command::configuration)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("--origin and --shield");
    }

    @Test
    void aPortInUseExitsWithStatus1NamingTheAddress() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.execute(
                    "edge",
                    "--listen",
                    "127.0.0.1:" + taken.getLocalPort(),
                    "--origin",
                    plainUri().toString(),
                    "--cache-dir",
                    dir.resolve("cache").toString(),
                    "--access-log",
                    "off");

            assertThat(status).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("strata: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        } finally {
            System.setErr(originalErr);
        }
    }
}
