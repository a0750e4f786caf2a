package dev.strata.proxy;

import io.undertow.Undertow;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin whose bodies name it, {@code NAME PATH}, so a test sees which origin answered; {@code
 * /held…} paths answer only once the test {@link #release()}s them (waiting on a worker thread,
 * never the I/O thread). Counts requests and, apart, health checks ({@code /health}).
 */
final class NamedOrigin implements AutoCloseable {
    private final String name;
    private final Undertow undertow;
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicInteger checks = new AtomicInteger();

    NamedOrigin(String name) {
        this.name = name;
        undertow = Undertow.builder()
                .setIoThreads(1)
                .setWorkerThreads(8)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    String path = exchange.getRequestPath();
                    if (path.equals("/health")) {
                        checks.incrementAndGet();
                        exchange.getResponseSender().send("ok");
                        return;
                    }
                    if (path.startsWith("/held") && exchange.isInIoThread()) {
                        exchange.dispatch(() -> {
                            held.incrementAndGet();
                            try {
                                released.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            answer(exchange);
                        });
                        return;
                    }
                    answer(exchange);
                })
                .build();
        undertow.start();
    }

    private void answer(io.undertow.server.HttpServerExchange exchange) {
        requests.incrementAndGet();
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "max-age=600");
        exchange.getResponseSender().send(name + " " + exchange.getRequestPath(), StandardCharsets.UTF_8);
    }

    /** Lets every held request, and those still to come, answer. */
    void release() {
        released.countDown();
    }

    /** Requests answered (health checks apart). */
    int requests() {
        return requests.get();
    }

    /** Requests for {@code /held…} received, answered or not. */
    int held() {
        return held.get();
    }

    /** Health checks received. */
    int checks() {
        return checks.get();
    }

    URI uri() {
        int port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        release();
        undertow.stop();
    }
}
