package dev.strata.proxy;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.ByteSize;
import dev.strata.config.CacheConfig;
import dev.strata.config.LimitsConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import dev.strata.config.UpstreamConfig;
import dev.strata.upstream.Fetched;
import dev.strata.upstream.Upstream;
import dev.strata.upstream.UpstreamClient;
import dev.strata.upstream.UpstreamRequest;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.SameThreadExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link StreamingRelay} between a real origin and a real client: through a minimal Undertow server
 * whose handler does what {@link FetchHandler} does for a body too large to store (dispatch, {@link
 * UpstreamClient#exchange}, back on the I/O thread, relay), and end to end through a {@link
 * ProxyNode}. Runs with BlockHound: blocking an Undertow I/O thread fails the test.
 */
class StreamingRelayIT {
    private static final int MIB = 1024 * 1024;
    private static final int BIG = 20 * MIB;
    private static final long LIMIT = MIB;
    private static final long ENDLESS = 1L << 30;

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** What the origin wrote on /endless, and whether a write failed because the peer went away. */
    private final AtomicLong endlessWritten = new AtomicLong();

    private final CountDownLatch endlessBroken = new CountDownLatch(1);
    /** Counts down as the relay's exchanges end (an exchange that never ends stalls a graceful stop). */
    private final CountDownLatch relayExchangesEnded = new CountDownLatch(1);

    private final Undertow origin = Undertow.builder()
            .setIoThreads(2)
            .setWorkerThreads(8)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(exchange -> exchange.dispatch(() -> serve(exchange)))
            .build();
    private final UpstreamClient client =
            new UpstreamClient(UpstreamConfig.defaults(), "relay-test", Clock.systemUTC());
    private final Undertow relay = Undertow.builder()
            .setIoThreads(2)
            .setWorkerThreads(2)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(this::fetchAndRelay)
            .build();

    StreamingRelayIT() {
        origin.start();
        relay.start();
    }

    @AfterEach
    void stop() throws Exception {
        assertThat(UndertowIoThreads.violations())
                .as("blocking calls on I/O threads")
                .isEmpty();
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
        relay.stop();
        client.close();
        origin.stop();
    }

    private static URI uriOf(Undertow server) {
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    // The origin: deterministic bodies written with blocking streams on worker threads.

    static byte byteAt(long index) {
        return (byte) (index * 31 + (index >>> 13));
    }

    private static String sha256OfPattern(long length) throws NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] piece = new byte[64 * 1024];
        for (long at = 0; at < length; at += piece.length) {
            int n = (int) Math.min(piece.length, length - at);
            for (int i = 0; i < n; i++) {
                piece[i] = byteAt(at + i);
            }
            digest.update(piece, 0, n);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * /length/N: N bytes with Content-Length; /chunked/N: N bytes chunked; /dies/N/M: Content-Length
     * N, the connection closed after M; /dies-chunked/M: chunked, closed after M; /endless: 1 GiB
     * declared, written until the peer goes away.
     */
    private void serve(HttpServerExchange exchange) {
        String[] parts = exchange.getRequestPath().split("/", -1);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/octet-stream");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=60");
        exchange.startBlocking();
        AtomicLong written = parts[1].equals("endless") ? endlessWritten : new AtomicLong();
        try (OutputStream out = exchange.getOutputStream()) {
            switch (parts[1]) {
                case "length" -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, Long.parseLong(parts[2]));
                    write(out, Long.parseLong(parts[2]), written);
                }
                case "chunked" -> write(out, Long.parseLong(parts[2]), written);
                case "dies" -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, Long.parseLong(parts[2]));
                    write(out, Long.parseLong(parts[3]), written);
                    out.flush();
                    exchange.getConnection().close();
                }
                case "dies-chunked" -> {
                    write(out, Long.parseLong(parts[2]), written);
                    out.flush();
                    exchange.getConnection().close();
                }
                case "endless" -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, ENDLESS);
                    write(out, ENDLESS, written);
                }
                default -> exchange.setStatusCode(404);
            }
        } catch (IOException e) {
            if (parts[1].equals("endless")) {
                endlessBroken.countDown();
            }
        }
    }

    private static void write(OutputStream out, long length, AtomicLong written) throws IOException {
        byte[] piece = new byte[16 * 1024];
        for (long at = 0; at < length; ) {
            int n = (int) Math.min(piece.length, length - at);
            for (int i = 0; i < n; i++) {
                piece[i] = byteAt(at + i);
            }
            out.write(piece, 0, n);
            out.flush();
            at += n;
            written.set(at);
        }
    }

    // The relay: what FetchHandler does with a body too large to store.

    private void fetchAndRelay(HttpServerExchange exchange) {
        UpstreamRequest request =
                new UpstreamRequest("GET", "origin.test", exchange.getRequestPath(), HeaderList.of(), new byte[0]);
        exchange.addExchangeCompleteListener((ex, next) -> {
            relayExchangesEnded.countDown();
            next.proceed();
        });
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            CompletableFuture<Fetched> unused = client.exchange(Upstream.of(List.of(uriOf(origin))), request, LIMIT)
                    .whenComplete((fetched, failure) ->
                            exchange.dispatch(exchange.getIoThread(), ex -> answer(ex, fetched, failure)));
        });
    }

    private static void answer(HttpServerExchange exchange, @Nullable Fetched fetched, @Nullable Throwable failure) {
        if (fetched instanceof Fetched.Streaming streaming) {
            List<HeaderList.Field> headers =
                    new ArrayList<>(Responses.relayable(streaming.headers()).fields());
            headers.add(new HeaderList.Field("X-Cache", "PASS"));
            headers.add(new HeaderList.Field("X-Served-By", "relay-test"));
            StreamingRelay.relay(exchange, streaming, new HeaderList(headers));
        } else if (fetched instanceof Fetched.Buffered buffered) {
            exchange.setStatusCode(buffered.status());
            exchange.getResponseSender()
                    .send(ByteBuffer.wrap(buffered.response().body()));
        } else {
            exchange.setStatusCode(failure == null ? 500 : 502);
            exchange.endExchange();
        }
    }

    /**
     * Returns once {@code counter} is positive and has not moved for half a second (five samples
     * 100 ms apart), or fails after 30 s.
     */
    private static void awaitStalled(AtomicLong counter) throws Exception {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        CompletableFuture<Long> stalled = new CompletableFuture<>();
        AtomicLong last = new AtomicLong(-1);
        AtomicInteger unchanged = new AtomicInteger();
        ScheduledFuture<?> sampling = sampler.scheduleAtFixedRate(
                () -> {
                    long now = counter.get();
                    if (now > 0 && now == last.getAndSet(now)) {
                        if (unchanged.incrementAndGet() >= 5) {
                            stalled.complete(now);
                        }
                    } else {
                        unchanged.set(0);
                    }
                },
                100,
                100,
                MILLISECONDS);
        try {
            stalled.get(30, SECONDS);
        } finally {
            sampling.cancel(false);
            sampler.shutdownNow();
        }
    }

    // The client.

    /** What a client read: how many bytes, and their SHA-256 in hex. */
    record Read(long bytes, String sha256) {}

    private static Read read(InputStream body) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = body) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                digest.update(buffer, 0, n);
                total += n;
            }
        }
        return new Read(total, HexFormat.of().formatHex(digest.digest()));
    }

    private HttpResponse<InputStream> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    @Test
    void largeBodyWithALengthIsRelayedByteForByte() throws Exception {
        HttpResponse<InputStream> response = get(uriOf(relay), "/length/" + BIG);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(BIG));
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.headers().firstValue("X-Cache")).hasValue("PASS");
        assertThat(read(response.body())).isEqualTo(new Read(BIG, sha256OfPattern(BIG)));
        assertThat(relayExchangesEnded.await(10, SECONDS))
                .as("the relay's exchange ended")
                .isTrue();
    }

    @Test
    void largeChunkedBodyIsRelayedChunkedByteForByte() throws Exception {
        HttpResponse<InputStream> response = get(uriOf(relay), "/chunked/" + BIG);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(read(response.body())).isEqualTo(new Read(BIG, sha256OfPattern(BIG)));
    }

    @Test
    void headSendsTheHeadOnlyAndReleasesTheUpstream() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uriOf(relay).resolve("/endless"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Long.toString(ENDLESS));
        assertThat(response.body()).isEmpty();
        assertThat(endlessBroken.await(10, SECONDS))
                .as("the origin sees its connection closed")
                .isTrue();
        assertThat(relayExchangesEnded.await(10, SECONDS))
                .as("the relay's exchange ended")
                .isTrue();
    }

    @Test
    void headOfABodyOfUnknownLengthClaimsNoLength() throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uriOf(relay).resolve("/chunked/" + BIG))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().map()).doesNotContainKey("content-length");
        assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void upstreamDyingMidBodyTruncatesTheTransferWithALength() throws Exception {
        HttpResponse<InputStream> response = get(uriOf(relay), "/dies/" + BIG + "/" + 5 * MIB);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(BIG));
        assertThat(catchThrowable(() -> read(response.body())))
                .as("a body shorter than its Content-Length")
                .isInstanceOf(IOException.class);
        assertThat(relayExchangesEnded.await(10, SECONDS))
                .as("the relay's exchange ended")
                .isTrue();
    }

    @Test
    void upstreamDyingMidBodyTruncatesAChunkedTransfer() throws Exception {
        HttpResponse<InputStream> response = get(uriOf(relay), "/dies-chunked/" + 5 * MIB);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(catchThrowable(() -> read(response.body())))
                .as("a chunked body without its last chunk")
                .isInstanceOf(IOException.class);
        assertThat(relayExchangesEnded.await(10, SECONDS))
                .as("the relay's exchange ended")
                .isTrue();
    }

    @Test
    void clientThatStopsReadingHoldsTheOriginBackAndItsDisconnectReleasesIt() throws Exception {
        URI relayUri = uriOf(relay);
        try (Socket socket = new Socket(relayUri.getHost(), relayUri.getPort())) {
            socket.getOutputStream()
                    .write("GET /endless HTTP/1.1\r\nHost: relay\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            // Nothing is read: the relay's socket fills, it stops asking upstream, the origin stalls.
            awaitStalled(endlessWritten);
            assertThat(endlessWritten.get())
                    .as("origin bytes written while the client reads nothing (socket buffers and one window)")
                    .isLessThan(64L * MIB);
        }

        assertThat(endlessBroken.await(10, SECONDS))
                .as("the origin sees its connection closed")
                .isTrue();
        assertThat(relayExchangesEnded.await(10, SECONDS))
                .as("the relay's exchange ended")
                .isTrue();
    }

    @Test
    void proxyNodePassesAnObjectLargerThanTheMaxObjectSize() throws Exception {
        ProxyNode edge = ProxyNode.start(new ProxyNode.Spec(
                "edge",
                "edge-stream",
                ListenAddress.of("127.0.0.1", 0),
                new CacheConfig(dir, ByteSize.ofMebibytes(64), ByteSize.ofMebibytes(256), ByteSize.ofMebibytes(1)),
                LimitsConfig.defaults(),
                UpstreamConfig.defaults(),
                Router.forEdge(withSites(List.of(uriOf(origin)))),
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), java.time.ZoneOffset.UTC)));
        closing.add(edge);

        HttpResponse<InputStream> response = get(edge.uri(), "/length/" + BIG);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Cache")).hasValue("PASS");
        assertThat(response.headers().firstValue("X-Served-By")).hasValue("edge-stream");
        assertThat(response.headers().firstValue("Content-Length")).hasValue(Integer.toString(BIG));
        assertThat(read(response.body())).isEqualTo(new Read(BIG, sha256OfPattern(BIG)));
    }

    private static StrataConfig withSites(List<URI> origins) {
        return StrataConfig.defaults().withSites(List.of(SiteConfig.anyHost(origins)));
    }
}
