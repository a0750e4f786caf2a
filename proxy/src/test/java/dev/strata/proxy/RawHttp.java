package dev.strata.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * One HTTP/1.1 request written byte for byte on a new connection, for what an HTTP client library
 * will not send (an encoded NUL, a {@code ..} segment, a body on GET) and from a chosen loopback
 * address ({@code 127.0.0.2} is another client than {@code 127.0.0.1}).
 */
final class RawHttp {
    private RawHttp() {}

    /** A response as read: the status, the head's lines and the body. */
    record Response(int status, String head, String body) {
        /** The first value of a header field, by name (any case). */
        Optional<String> header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return Optional.of(line.substring(colon + 1).trim());
                }
            }
            return Optional.empty();
        }
    }

    /** Sends {@code request} (with {@code Connection: close} in it) from {@code from} and reads the answer. */
    static Response send(ProxyNode node, String from, String request) throws IOException {
        try (Socket socket =
                new Socket(InetAddress.getByName("127.0.0.1"), node.port(), InetAddress.getByName(from), 0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            byte[] all = readAll(socket.getInputStream());
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String head = end < 0 ? text : text.substring(0, end);
            String body = end < 0 ? "" : text.substring(end + 4);
            String[] statusLine = head.split(" ", 3);
            int status = statusLine.length > 1 ? Integer.parseInt(statusLine[1]) : 0;
            return new Response(status, head, body);
        }
    }

    /** A GET of {@code target} from {@code from}, with {@code extraHeaders} (each ending in CRLF). */
    static Response get(ProxyNode node, String from, String target, String extraHeaders) throws IOException {
        return send(
                node,
                from,
                "GET " + target + " HTTP/1.1\r\nHost: www.example.com\r\n" + extraHeaders
                        + "Connection: close\r\n\r\n");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            if (out.size() == 0
                    || !String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("reset")) {
                throw e;
            }
            // the server closed with unread request bytes (a body we did not wait for): the answer is in
        }
        return out.toByteArray();
    }
}
