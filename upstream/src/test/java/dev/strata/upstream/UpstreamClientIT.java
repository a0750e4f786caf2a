package dev.strata.upstream;

import static java.util.Objects.requireNonNull;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.UpstreamConfig;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real Undertow origin on 127.0.0.1 that echoes what it received. */
class UpstreamClientIT {
    private static final int BIG_BODY = 100_000;
    private static final byte[] NO_BODY = new byte[0];
    private static final UpstreamConfig CONFIG = new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(5), 8);

    /** Requests seen by the origin, by "METHOD path". */
    private final Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();

    private final AtomicInteger counter = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Undertow origin = Undertow.builder()
            .setIoThreads(2)
            .setWorkerThreads(4)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(this::handle)
            .build();
    private final UpstreamClient client = new UpstreamClient(CONFIG, "edge-1", Clock.systemUTC());
    private URI live = URI.create("http://127.0.0.1:1");

    @BeforeEach
    void startOrigin() {
        origin.start();
        int port = ((InetSocketAddress) origin.getListenerInfo().get(0).getAddress()).getPort();
        live = URI.create("http://127.0.0.1:" + port);
    }

    @AfterEach
    void stop() {
        release.countDown();
        client.close();
        origin.stop();
    }

    private void handle(HttpServerExchange exchange) {
        seen.computeIfAbsent(exchange.getRequestMethod() + " " + exchange.getRequestPath(), k -> new AtomicInteger())
                .incrementAndGet();
        switch (exchange.getRequestPath()) {
            case "/hang" -> exchange.dispatch(() -> hang(exchange));
            case "/big" -> exchange.getResponseSender().send(ByteBuffer.wrap(new byte[BIG_BODY]));
            case "/unavailable", "/unavailable-base/" -> {
                exchange.setStatusCode(503);
                exchange.getResponseSender().send("origin is down");
            }
            default -> exchange.getRequestReceiver().receiveFullBytes(this::echo);
        }
    }

    /** Holds the exchange on a worker thread until the test ends: a response that never comes. */
    private void hang(HttpServerExchange exchange) {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        exchange.getResponseSender().send("too late");
    }

    private void echo(HttpServerExchange exchange, byte[] body) {
        String query = exchange.getQueryString();
        exchange.getResponseHeaders()
                .put(
                        HttpString.tryFromString("X-Method"),
                        exchange.getRequestMethod().toString())
                .put(
                        HttpString.tryFromString("X-Host"),
                        String.valueOf(exchange.getRequestHeaders().getFirst(Headers.HOST)))
                .put(
                        HttpString.tryFromString("X-Target"),
                        exchange.getRequestPath() + (query.isEmpty() ? "" : "?" + query))
                .put(
                        HttpString.tryFromString("X-Via"),
                        String.valueOf(exchange.getRequestHeaders().getFirst(Headers.VIA)))
                .put(
                        HttpString.tryFromString("X-Upgrade"),
                        String.valueOf(exchange.getRequestHeaders().getFirst(Headers.UPGRADE)))
                .put(
                        HttpString.tryFromString("X-Accept"),
                        String.valueOf(exchange.getRequestHeaders().getFirst(Headers.ACCEPT)))
                .put(HttpString.tryFromString("X-Body"), new String(body, StandardCharsets.UTF_8))
                .put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8")
                .put(HttpString.tryFromString("X-Count"), counter.incrementAndGet())
                .add(HttpString.tryFromString("X-Repeated"), "1")
                .add(HttpString.tryFromString("X-Repeated"), "2");
        exchange.getResponseSender().send("hello from the origin");
    }

    private int seen(String methodAndPath) {
        AtomicInteger count = seen.get(methodAndPath);
        return count == null ? 0 : count.get();
    }

    private static UpstreamRequest get(String target) {
        return new UpstreamRequest("GET", "www.example.com", target, HeaderList.of("Accept", "text/plain"), NO_BODY);
    }

    private static UpstreamRequest post(String target, String body) {
        return new UpstreamRequest(
                "POST",
                "www.example.com",
                target,
                HeaderList.of("Content-Type", "text/plain"),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static UpstreamResponse response(CompletableFuture<UpstreamResponse> fetch) throws Exception {
        return fetch.get(10, SECONDS);
    }

    private static UpstreamException failure(CompletableFuture<UpstreamResponse> fetch) {
        ExecutionException thrown = catchThrowableOfType(ExecutionException.class, () -> fetch.get(10, SECONDS));
        assertThat(thrown).as("fetch failure").isNotNull();
        assertThat(thrown.getCause()).isInstanceOf(UpstreamException.class);
        return (UpstreamException) requireNonNull(thrown.getCause());
    }

    /** A port nothing listens on: bound, then released. */
    private static URI deadHost() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    @Test
    void fetchReturnsStatusHeadersAndBody() throws Exception {
        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(live)), get("/a/b?x=1&y=2"), 1 << 20));

        assertThat(response.status()).isEqualTo(200);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("hello from the origin");
        assertThat(response.headers().first("X-Method")).isEqualTo("GET");
        assertThat(response.headers().first("X-Target")).isEqualTo("/a/b?x=1&y=2");
        assertThat(response.headers().first("X-Accept")).isEqualTo("text/plain");
        assertThat(response.headers().all("X-Repeated")).containsExactly("1", "2");
        assertThat(response.headers().first("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.host()).isEqualTo(live);
        assertThat(response.responseTimeMillis()).isGreaterThanOrEqualTo(response.requestTimeMillis());
    }

    @Test
    void hostSentIsTheRequestsAuthorityNotTheUpstreamAddress() throws Exception {
        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(live)), get("/"), 1 << 20));

        assertThat(response.headers().first("X-Host")).isEqualTo("www.example.com");
        assertThat(response.headers().first("X-Host")).doesNotContain("127.0.0.1");
    }

    @Test
    void neverOffersAProtocolUpgrade() throws Exception {
        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(live)), get("/"), 1 << 20));

        assertThat(response.headers().first("X-Upgrade")).isEqualTo("null");
    }

    @Test
    void anUpstreamUrlsPathPrefixesTheTarget() throws Exception {
        URI withBase = URI.create(live + "/static/");

        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(withBase)), get("/app.js?v=2"), 1 << 20));

        assertThat(response.headers().first("X-Target")).isEqualTo("/static/app.js?v=2");
    }

    @Test
    void eachFetchIsOneOriginRequest() throws Exception {
        for (int i = 1; i <= 3; i++) {
            UpstreamResponse response = response(client.fetch(Upstream.of(List.of(live)), get("/n"), 1 << 20));

            assertThat(response.headers().first("X-Count")).isEqualTo(Integer.toString(i));
        }
        assertThat(seen("GET /n")).isEqualTo(3);
    }

    @Test
    void viaNamesThisNode() throws Exception {
        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(live)), get("/"), 1 << 20));

        assertThat(response.headers().first("X-Via")).isEqualTo("1.1 edge-1 (strata)");
    }

    @Test
    void postBodyIsForwarded() throws Exception {
        UpstreamResponse response =
                response(client.fetch(Upstream.of(List.of(live)), post("/form", "name=strata"), 1 << 20));

        assertThat(response.headers().first("X-Method")).isEqualTo("POST");
        assertThat(response.headers().first("X-Body")).isEqualTo("name=strata");
    }

    @Test
    void idempotentRequestFailsOverFromADeadHost() throws Exception {
        URI dead = deadHost();

        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(dead, live)), get("/a"), 1 << 20));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.host()).isEqualTo(live);
        assertThat(seen("GET /a")).isEqualTo(1);
    }

    @Test
    void nonIdempotentRequestIsNotRetriedOnAnotherHost() throws Exception {
        URI dead = deadHost();

        UpstreamException failure =
                failure(client.fetch(Upstream.of(List.of(dead, live)), post("/form", "x=1"), 1 << 20));

        assertThat(failure.isTimeout()).isFalse();
        assertThat(failure).hasMessageContaining(dead.toString());
        assertThat(failure.getMessage()).doesNotContain(live.toString());
        assertThat(seen("POST /form")).isZero();
    }

    @Test
    void everyHostDeadFailsNamingThemAll() throws Exception {
        URI first = deadHost();
        URI second = deadHost();

        UpstreamException failure = failure(client.fetch(Upstream.of(List.of(first, second)), get("/"), 1 << 20));

        assertThat(failure.isTimeout()).isFalse();
        assertThat(failure).hasMessageContaining(first.toString()).hasMessageContaining(second.toString());
    }

    @Test
    void serverErrorIsRelayedWhenNoOtherHostAnswers() throws Exception {
        URI dead = deadHost();

        UpstreamResponse response =
                response(client.fetch(Upstream.of(List.of(live, dead)), get("/unavailable"), 1 << 20));

        assertThat(response.status()).isEqualTo(503);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("origin is down");
        assertThat(response.host()).isEqualTo(live);
    }

    @Test
    void serverErrorOfAnIdempotentRequestFailsOverToTheNextHost() throws Exception {
        Upstream failing = Upstream.of(URI.create(live + "/unavailable-base"));
        Upstream healthy = Upstream.of(live);

        UpstreamResponse response = response(client.fetch(List.of(failing, healthy), get("/"), 1 << 20));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.host()).isEqualTo(live);
        assertThat(failing.consecutiveFailures()).isEqualTo(1);
        assertThat(failing.inFlight()).isZero();
        assertThat(healthy.consecutiveFailures()).isZero();
        assertThat(healthy.inFlight()).isZero();
    }

    @Test
    void serverErrorOfAPostIsReturnedWithoutFailover() throws Exception {
        Upstream failing = Upstream.of(URI.create(live + "/unavailable-base"));

        UpstreamResponse response =
                response(client.fetch(List.of(failing, Upstream.of(live)), post("/", "x=1"), 1 << 20));

        assertThat(response.status()).isEqualTo(503);
        assertThat(seen("POST /")).isZero();
    }

    @Test
    void bodyLargerThanTheLimitFails() {
        UpstreamException failure = failure(client.fetch(Upstream.of(List.of(live, live)), get("/big"), BIG_BODY - 1));

        assertThat(failure.isTimeout()).isFalse();
        assertThat(failure).hasMessageContaining("larger than " + (BIG_BODY - 1));
        assertThat(seen("GET /big")).as("a body too large is not fetched again").isEqualTo(1);
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() throws Exception {
        UpstreamResponse response = response(client.fetch(Upstream.of(List.of(live)), get("/big"), BIG_BODY));

        assertThat(response.body()).hasSize(BIG_BODY);
    }

    @Test
    void responseThatNeverComesTimesOut() {
        UpstreamConfig impatient = new UpstreamConfig(Duration.ofSeconds(2), Duration.ofMillis(500), 8);
        try (UpstreamClient timing = new UpstreamClient(impatient, "edge-1", Clock.systemUTC())) {
            UpstreamException failure = failure(timing.fetch(Upstream.of(List.of(live)), get("/hang"), 1 << 20));

            assertThat(failure.isTimeout()).isTrue();
            assertThat(failure).hasMessageContaining("timed out");
        }
    }

    @Test
    void reconfiguredTimeoutsApplyToLaterRequestsNotToThoseInFlight() throws Exception {
        UpstreamConfig patient = new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(120), 8);
        try (UpstreamClient reloading = new UpstreamClient(patient, "edge-1", Clock.systemUTC())) {
            CompletableFuture<UpstreamResponse> before =
                    reloading.fetch(Upstream.of(List.of(live)), get("/hang"), 1 << 20);
            await().atMost(Duration.ofSeconds(10)).until(() -> seen("GET /hang") == 1);

            UpstreamConfig impatient = new UpstreamConfig(Duration.ofSeconds(2), Duration.ofMillis(500), 8);
            reloading.reconfigure(impatient);
            UpstreamException failure = failure(reloading.fetch(Upstream.of(List.of(live)), get("/hang"), 1 << 20));

            assertThat(failure.isTimeout()).isTrue();
            assertThat(before).as("the fetch in flight keeps its 120 s").isNotDone();
            assertThat(response(reloading.fetch(Upstream.of(List.of(live)), get("/after"), 1 << 20))
                            .status())
                    .isEqualTo(200);
            assertThat(reloading.config()).isEqualTo(impatient);
        }
    }

    @Test
    void closeFailsFetchesInFlight() {
        // A response timeout far beyond the bound below: close must not wait for it (a graceful
        // close would), whatever the machine's speed.
        UpstreamClient closing = new UpstreamClient(
                new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(120), 8), "edge-1", Clock.systemUTC());
        CompletableFuture<UpstreamResponse> inFlight = closing.fetch(Upstream.of(List.of(live)), get("/hang"), 1 << 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("GET /hang") == 1);

        long started = System.nanoTime();
        closing.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(60));
        assertThat(failure(inFlight)).hasMessageContaining("closed");
        assertThat(failure(closing.fetch(Upstream.of(List.of(live)), get("/after"), 1 << 20)))
                .hasMessageContaining("closed");
        assertThat(seen("GET /after")).isZero();
    }

    @Test
    void invalidAuthorityFailsWithoutConnecting() {
        UpstreamRequest request = new UpstreamRequest("GET", "bad host:x", "/", HeaderList.of(), NO_BODY);

        UpstreamException failure = failure(client.fetch(Upstream.of(List.of(live)), request, 1 << 20));

        assertThat(failure).hasMessageContaining("bad host:x");
        assertThat(seen).isEmpty();
    }
}
