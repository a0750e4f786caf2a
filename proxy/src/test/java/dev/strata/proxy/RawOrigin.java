package dev.strata.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An origin that answers every request with the same bytes, written as they are: for responses an
 * HTTP server library will not produce, such as interim (1xx) responses before the final one. One
 * request per connection; a plain thread, never an Undertow I/O thread.
 */
final class RawOrigin implements AutoCloseable {
    private final ServerSocket server;
    private final byte[] answer;
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    RawOrigin(String answer) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.answer = answer.getBytes(StandardCharsets.ISO_8859_1);
        this.acceptor = new Thread(this::serve, "raw-origin");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000);
                readHead(socket.getInputStream());
                requests.incrementAndGet();
                OutputStream out = socket.getOutputStream();
                out.write(answer);
                out.flush();
                socket.shutdownOutput();
                while (socket.getInputStream().read() >= 0) {
                    // wait for the client to close
                }
            } catch (IOException e) {
                // closed, or the client went away: serve the next connection
            }
        }
    }

    /** Reads up to the blank line that ends a request head (requests here have no body). */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < end.length && (b = in.read()) >= 0) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    int requests() {
        return requests.get();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
