package dev.strata.upstream;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.strata.cache.store.HeaderList;
import dev.strata.config.UpstreamConfig;
import io.undertow.Undertow;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link UpstreamClient#exchange} against a real Undertow origin on 127.0.0.1 that writes
 * deterministic bodies with blocking streams on its worker threads, so TCP backpressure reaches it.
 */
class UpstreamClientStreamingIT {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final long LIMIT = MIB;
    private static final UpstreamConfig CONFIG = new UpstreamConfig(Duration.ofSeconds(2), Duration.ofSeconds(30), 8);
    /**
     * What HttpClient may deliver past the credit: the rest of its 8 KiB input buffer and one 8 KiB
     * read, and a little more for the window it had before the first grant.
     */
    private static final long SLACK = 64 * KIB;

    /** Bytes the origin wrote on /endless, and whether a write failed because the peer went away. */
    private final AtomicLong endlessWritten = new AtomicLong();

    private final CountDownLatch endlessBroken = new CountDownLatch(1);
    private final Undertow origin = Undertow.builder()
            .setIoThreads(2)
            .setWorkerThreads(8)
            .addHttpListener(0, "127.0.0.1")
            .setHandler(exchange -> exchange.dispatch(() -> serve(exchange)))
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
        client.close();
        origin.stop();
    }

    /** The byte at {@code index} of every body the origin serves. */
    static byte byteAt(long index) {
        return (byte) (index * 31 + (index >>> 13));
    }

    static byte[] expected(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = byteAt(i);
        }
        return bytes;
    }

    /**
     * /length/N: N bytes with Content-Length; /chunked/N: N bytes chunked; /dies/N/M: Content-Length
     * N, then the connection closes after M bytes; /endless: 1 GiB declared, written until the peer
     * goes away.
     */
    private void serve(HttpServerExchange exchange) {
        String[] parts = exchange.getRequestPath().split("/", -1);
        exchange.startBlocking();
        try (OutputStream out = exchange.getOutputStream()) {
            switch (parts[1]) {
                case "length" -> {
                    long length = Long.parseLong(parts[2]);
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, length);
                    write(out, length, new AtomicLong());
                }
                case "chunked" -> write(out, Long.parseLong(parts[2]), new AtomicLong());
                case "dies" -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, Long.parseLong(parts[2]));
                    write(out, Long.parseLong(parts[3]), new AtomicLong());
                    out.flush();
                    exchange.getConnection().close();
                }
                case "endless" -> {
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, 1L << 30);
                    write(out, 1L << 30, endlessWritten);
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
        byte[] piece = new byte[16 * KIB];
        for (long at = 0; at < length; ) {
            int n = (int) Math.min(piece.length, length - at);
            for (int i = 0; i < n; i++) {
                piece[i] = byteAt(at + i);
            }
            out.write(piece, 0, n);
            out.flush(); // chunked bodies go out chunk by chunk, not buffered into one length
            at += n;
            written.set(at);
        }
    }

    private static UpstreamRequest get(String target) {
        return new UpstreamRequest("GET", "www.example.com", target, HeaderList.of(), new byte[0]);
    }

    private Fetched exchange(String target) throws Exception {
        return client.exchange(Upstream.of(List.of(live)), get(target), LIMIT).get(10, SECONDS);
    }

    /** A port nothing listens on: bound, then released. */
    private static URI deadHost() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    /** Collects a body; requests as many bytes as it takes, or never when {@code requesting} is off. */
    static final class CollectingSink implements BodySink {
        private final BodySource source;
        private final boolean requesting;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final AtomicLong received = new AtomicLong();
        private final Deque<String> threads = new java.util.concurrent.ConcurrentLinkedDeque<>();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        CollectingSink(BodySource source, boolean requesting) {
            this.source = source;
            this.requesting = requesting;
        }

        static CollectingSink start(Fetched.Streaming streaming, boolean requesting) {
            CollectingSink sink = new CollectingSink(streaming.body(), requesting);
            streaming.body().start(sink);
            return sink;
        }

        @Override
        public void onData(ByteBuffer chunk) {
            threads.add(Thread.currentThread().getName());
            int n = chunk.remaining();
            byte[] copy = new byte[n];
            chunk.get(copy);
            bytes.write(copy, 0, n);
            received.addAndGet(n);
            if (requesting) {
                source.request(n);
            }
        }

        @Override
        public void onEnd() {
            done.complete(bytes.toByteArray());
        }

        @Override
        public void onError(Throwable failure) {
            done.completeExceptionally(failure);
        }

        long received() {
            return received.get();
        }

        byte[] body() throws Exception {
            return done.get(30, SECONDS);
        }
    }

    @Test
    void bodyWithALengthWithinTheLimitIsBuffered() throws Exception {
        Fetched fetched = exchange("/length/" + 100 * KIB);

        assertThat(fetched).isInstanceOf(Fetched.Buffered.class);
        UpstreamResponse response = ((Fetched.Buffered) fetched).response();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(expected(100 * KIB));
        assertThat(fetched.host()).isEqualTo(live);
    }

    @Test
    void bodyExactlyAtTheLimitIsBuffered() throws Exception {
        Fetched fetched = exchange("/length/" + LIMIT);

        assertThat(fetched).isInstanceOf(Fetched.Buffered.class);
        assertThat(((Fetched.Buffered) fetched).response().body()).hasSize((int) LIMIT);
    }

    @Test
    void bodyWithALengthOverTheLimitIsStreamedWithEveryByte() throws Exception {
        Fetched fetched = exchange("/length/" + 5 * MIB);

        assertThat(fetched).isInstanceOf(Fetched.Streaming.class);
        Fetched.Streaming streaming = (Fetched.Streaming) fetched;
        assertThat(streaming.status()).isEqualTo(200);
        assertThat(streaming.contentLength()).hasValue(5 * MIB);
        assertThat(streaming.headers().first("Content-Length")).isEqualTo(Integer.toString(5 * MIB));
        assertThat(streaming.host()).isEqualTo(live);
        assertThat(streaming.headTimeMillis()).isGreaterThanOrEqualTo(streaming.requestTimeMillis());
        CollectingSink sink = CollectingSink.start(streaming, true);

        assertThat(sink.body()).isEqualTo(expected(5 * MIB));
        assertThat(sink.threads)
                .as("sink callbacks run off the test thread")
                .doesNotContain(Thread.currentThread().getName());
    }

    @Test
    void chunkedBodyPastTheLimitSwitchesToStreamingWithoutLosingBytes() throws Exception {
        Fetched fetched = exchange("/chunked/" + 3 * MIB);

        assertThat(fetched).isInstanceOf(Fetched.Streaming.class);
        Fetched.Streaming streaming = (Fetched.Streaming) fetched;
        assertThat(streaming.contentLength()).isEmpty();
        assertThat(streaming.headers().first("Transfer-Encoding")).isEqualTo("chunked");
        CollectingSink sink = CollectingSink.start(streaming, true);

        assertThat(sink.body()).isEqualTo(expected(3 * MIB));
    }

    @Test
    void chunkedBodyWithinTheLimitIsBuffered() throws Exception {
        Fetched fetched = exchange("/chunked/" + 100 * KIB);

        assertThat(fetched).isInstanceOf(Fetched.Buffered.class);
        assertThat(fetched.headers().first("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(((Fetched.Buffered) fetched).response().body()).isEqualTo(expected(100 * KIB));
    }

    @Test
    void sinkThatRequestsNothingStallsTheOriginAndCancelClosesTheConnection() throws Exception {
        Fetched.Streaming streaming = (Fetched.Streaming) exchange("/endless");
        CollectingSink sink = CollectingSink.start(streaming, false);

        // The origin's writes stop: its socket buffers fill once HttpClient stops reading.
        AtomicLong lastSeen = new AtomicLong(-1);
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .during(Duration.ofMillis(500))
                .until(() -> {
                    long now = endlessWritten.get();
                    return now > 0 && now == lastSeen.getAndSet(now);
                });

        assertThat(sink.received())
                .as("delivered without a request")
                .isGreaterThanOrEqualTo(UpstreamClient.STREAM_WINDOW_BYTES - SLACK)
                .isLessThanOrEqualTo(UpstreamClient.STREAM_WINDOW_BYTES + SLACK);
        assertThat(endlessWritten.get()).as("origin bytes written").isLessThan(64L * MIB);
        assertThat(sink.done).isNotDone();

        streaming.body().cancel();

        assertThat(endlessBroken.await(10, SECONDS))
                .as("the origin sees its connection closed")
                .isTrue();
        assertThat(sink.done).as("no end or error after cancel").isNotDone();
    }

    @Test
    void cancellingABodyNeverStartedClosesTheConnection() throws Exception {
        Fetched.Streaming streaming = (Fetched.Streaming) exchange("/endless");

        streaming.body().cancel();

        assertThat(endlessBroken.await(10, SECONDS))
                .as("the origin sees its connection closed")
                .isTrue();
    }

    @Test
    void requestingMoreResumesAStalledBody() throws Exception {
        Fetched.Streaming streaming = (Fetched.Streaming) exchange("/length/" + 2 * MIB);
        CollectingSink sink = CollectingSink.start(streaming, false);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> sink.received() >= UpstreamClient.STREAM_WINDOW_BYTES - SLACK);

        streaming.body().request(2 * MIB);

        assertThat(sink.body()).isEqualTo(expected(2 * MIB));
    }

    @Test
    void originDyingMidBodyFailsTheSink() throws Exception {
        Fetched.Streaming streaming = (Fetched.Streaming) exchange("/dies/" + 4 * MIB + "/" + 2 * MIB);
        CollectingSink sink = CollectingSink.start(streaming, true);

        Throwable failure = catchThrowable(sink::body);

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause())
                .isInstanceOf(UpstreamException.class)
                .hasMessageContaining(live.toString())
                .hasMessageContaining("mid-body");
        assertThat(sink.received()).isLessThan(4 * MIB);
    }

    @Test
    void connectionFailureFailsOverBeforeTheHead() throws Exception {
        URI dead = deadHost();

        Fetched fetched = client.exchange(Upstream.of(List.of(dead, live)), get("/length/" + 2 * MIB), LIMIT)
                .get(10, SECONDS);

        assertThat(fetched).isInstanceOf(Fetched.Streaming.class);
        assertThat(fetched.host()).isEqualTo(live);
        assertThat(CollectingSink.start((Fetched.Streaming) fetched, true).body())
                .isEqualTo(expected(2 * MIB));
    }

    @Test
    void everyHostDeadFailsTheExchange() throws Exception {
        URI dead = deadHost();

        Throwable failure = catchThrowable(() -> client.exchange(Upstream.of(List.of(dead)), get("/length/1"), LIMIT)
                .get(10, SECONDS));

        assertThat(failure.getCause()).isInstanceOf(UpstreamException.class).hasMessageContaining(dead.toString());
    }

    @Test
    void closingTheClientFailsAStreamedBody() throws Exception {
        Fetched.Streaming streaming = (Fetched.Streaming) exchange("/endless");
        CollectingSink sink = CollectingSink.start(streaming, false);
        await().atMost(Duration.ofSeconds(10)).until(() -> sink.received() > 0);

        client.close();

        Throwable failure = catchThrowable(sink::body);
        assertThat(failure.getCause()).isInstanceOf(UpstreamException.class).hasMessageContaining("closed");
    }

    @Test
    void aBodyHasOneSink() throws Exception {
        Fetched.Streaming streaming = (Fetched.Streaming) exchange("/length/" + 2 * MIB);
        CollectingSink.start(streaming, true);

        assertThatThrownBy(() -> streaming.body().start(new CollectingSink(streaming.body(), true)))
                .isInstanceOf(IllegalStateException.class);
    }
}
