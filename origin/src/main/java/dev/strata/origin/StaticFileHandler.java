package dev.strata.origin;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.strata.cache.range.ByteRange;
import dev.strata.cache.range.RangeResult;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.IoUtils;
import org.xnio.channels.Channels;
import org.xnio.channels.StreamSinkChannel;

/**
 * Serves the files under one directory for GET and HEAD, with the validators, conditional requests
 * and byte ranges of RFC 9110.
 *
 * <p>On the I/O thread it only rejects other methods (405) and sheds load past {@link
 * #MAX_IN_FLIGHT} requests (503); everything that touches the file system runs after a dispatch to
 * the worker pool, where it writes the body with blocking channel writes from a 64 KiB buffer, so
 * any file size streams in constant memory.
 *
 * <p>Request paths arrive undecoded (the server turns {@code DECODE_URL} off) and are decoded here,
 * segment by segment: malformed escapes or UTF-8 are 400; {@code .}, {@code ..}, and segments that
 * decode to {@code /}, {@code \} or NUL are 404, as is anything whose real path (after symbolic
 * links) leaves the directory. A directory requested with a trailing slash serves its {@code
 * index.html}; without one it redirects (301) to the slash form, so relative links in the page
 * resolve.
 */
final class StaticFileHandler implements HttpHandler {
    /** Requests being served or queued for the worker pool before new ones get 503. */
    static final int MAX_IN_FLIGHT = 1024;

    private static final Logger log = LoggerFactory.getLogger(StaticFileHandler.class);
    private static final int BUFFER = 64 * 1024;
    private static final String INDEX = "index.html";
    private static final String TEXT = "text/plain; charset=utf-8";

    private final Path root;
    private final String cacheControl;
    private final Clock clock;
    private final ValidatorCache validators = new ValidatorCache();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final HttpHandler worker = this::serve;

    /**
     * @param root the served directory as a real path (symbolic links resolved)
     * @param cacheControl the {@code Cache-Control} of successful responses
     * @param clock for Last-Modified dates in the future, which are sent as now
     */
    StaticFileHandler(Path root, String cacheControl, Clock clock) {
        this.root = root;
        this.cacheControl = cacheControl;
        this.clock = clock;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        HttpString method = exchange.getRequestMethod();
        if (!method.equals(Methods.GET) && !method.equals(Methods.HEAD)) {
            exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
            sendError(
                    exchange,
                    StatusCodes.METHOD_NOT_ALLOWED,
                    "method not allowed: " + method + " (expected: GET or HEAD)");
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "1");
            sendError(exchange, StatusCodes.SERVICE_UNAVAILABLE, "origin busy, retry shortly");
            return;
        }
        exchange.addExchangeCompleteListener((done, next) -> {
            inFlight.decrementAndGet();
            next.proceed();
        });
        if (exchange.isInIoThread()) {
            exchange.dispatch(worker); // the file system blocks
        } else {
            serve(exchange);
        }
    }

    /** The part that blocks: runs on a worker thread. */
    private void serve(HttpServerExchange exchange) {
        Target target = locate(exchange.getRequestPath());
        if (target instanceof Invalid) {
            sendError(exchange, StatusCodes.BAD_REQUEST, "malformed request path");
        } else if (target instanceof Missing) {
            sendError(exchange, StatusCodes.NOT_FOUND, "not found");
        } else if (target instanceof Redirect redirect) {
            String query = exchange.getQueryString();
            exchange.setStatusCode(StatusCodes.MOVED_PERMANENTLY);
            exchange.getResponseHeaders()
                    .put(Headers.LOCATION, redirect.location() + (query.isEmpty() ? "" : "?" + query))
                    .put(Headers.CACHE_CONTROL, cacheControl);
            exchange.endExchange();
        } else if (target instanceof Found found) {
            try (FileChannel channel = FileChannel.open(found.file(), StandardOpenOption.READ)) {
                respond(exchange, found, channel);
            } catch (NoSuchFileException e) {
                sendError(exchange, StatusCodes.NOT_FOUND, "not found"); // removed since it was located
            } catch (IOException e) {
                fail(exchange, found.file(), e);
            }
        }
    }

    private void respond(HttpServerExchange exchange, Found found, FileChannel channel) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(found.file(), BasicFileAttributes.class);
        long length = attributes.size();
        EntityTag etag = validators.etag(found.file(), attributes, channel);
        Instant modified = attributes.lastModifiedTime().toInstant();
        Instant now = clock.instant();
        // §8.8.2.1: a Last-Modified later than the message's Date is replaced by that date.
        Instant lastModified = HttpDates.truncate(modified.isAfter(now) ? now : modified);

        HeaderMap headers = exchange.getResponseHeaders();
        headers.put(Headers.ETAG, etag.toString())
                .put(Headers.LAST_MODIFIED, HttpDates.format(lastModified))
                .put(Headers.CACHE_CONTROL, cacheControl)
                .put(Headers.ACCEPT_RANGES, "bytes");

        HeaderMap request = exchange.getRequestHeaders();
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        Preconditions.Conditions conditions = new Preconditions.Conditions(
                true,
                joined(request, Headers.IF_MATCH),
                single(request, Headers.IF_UNMODIFIED_SINCE),
                joined(request, Headers.IF_NONE_MATCH),
                single(request, Headers.IF_MODIFIED_SINCE));
        switch (Preconditions.evaluate(conditions, etag, lastModified)) {
            case NOT_MODIFIED -> {
                exchange.setStatusCode(StatusCodes.NOT_MODIFIED);
                exchange.endExchange();
                return;
            }
            case PRECONDITION_FAILED -> {
                sendError(exchange, StatusCodes.PRECONDITION_FAILED, "precondition failed");
                return;
            }
            case PROCEED -> {
                // go on below
            }
        }

        String contentType = ContentTypes.of(found.name());
        headers.put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        // §14.2: GET is the only method with range handling; HEAD ignores Range.
        String range = head ? null : single(request, Headers.RANGE);
        if (range != null && Preconditions.ifRangeAllows(single(request, Headers.IF_RANGE), etag, lastModified)) {
            // The boundary derives from the entity tag, so the same request gets the same bytes; a
            // file would have to contain its own hash to contain it.
            RangeResult answer = RangeResult.select(range, length, contentType, "strata-" + etag.opaque());
            if (answer instanceof RangeResult.Unsatisfiable unsatisfiable) {
                headers.put(Headers.CONTENT_RANGE, unsatisfiable.contentRange());
                sendError(exchange, StatusCodes.REQUEST_RANGE_NOT_SATISFIABLE, "range not satisfiable");
                return;
            }
            if (answer instanceof RangeResult.Single part) {
                exchange.setStatusCode(StatusCodes.PARTIAL_CONTENT);
                headers.put(Headers.CONTENT_TYPE, contentType).put(Headers.CONTENT_RANGE, part.contentRange());
                exchange.setResponseContentLength(part.range().length());
                StreamSinkChannel out = exchange.getResponseChannel();
                copy(channel, part.range(), out, ByteBuffer.allocate(BUFFER));
                finish(out);
                return;
            }
            if (answer instanceof RangeResult.Multipart multipart) {
                sendMultipart(exchange, channel, multipart);
                return;
            }
            // RangeResult.Full: an invalid Range, or overlapping ranges adding up to more than the
            // file (§14.2 lets a server ignore them): the whole file once.
        }

        exchange.setStatusCode(StatusCodes.OK);
        headers.put(Headers.CONTENT_TYPE, contentType);
        exchange.setResponseContentLength(length);
        if (head) {
            exchange.endExchange();
            return;
        }
        StreamSinkChannel out = exchange.getResponseChannel();
        if (length > 0) {
            copy(channel, new ByteRange(0, length - 1), out, ByteBuffer.allocate(BUFFER));
        }
        finish(out);
    }

    /** A {@code multipart/byteranges} body (§14.6), each part copied from the file. */
    private static void sendMultipart(HttpServerExchange exchange, FileChannel channel, RangeResult.Multipart multipart)
            throws IOException {
        exchange.setStatusCode(StatusCodes.PARTIAL_CONTENT);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, multipart.contentType());
        exchange.setResponseContentLength(multipart.contentLength());
        StreamSinkChannel out = exchange.getResponseChannel();
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        List<ByteRange> ranges = multipart.ranges();
        for (int i = 0; i < ranges.size(); i++) {
            writeFully(out, ByteBuffer.wrap(multipart.partHeader(i)));
            copy(channel, ranges.get(i), out, buffer);
        }
        writeFully(out, ByteBuffer.wrap(multipart.closing()));
        finish(out);
    }

    /** Copies {@code range} of the file to {@code out} through {@code buffer}, blocking. */
    private static void copy(FileChannel file, ByteRange range, StreamSinkChannel out, ByteBuffer buffer)
            throws IOException {
        long position = range.first();
        long end = range.last() + 1;
        while (position < end) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), end - position));
            int read = file.read(buffer, position);
            if (read < 0) {
                throw new EOFException("file shrank while being sent: no byte at offset " + position);
            }
            position += read;
            buffer.flip();
            writeFully(out, buffer);
        }
    }

    private static void writeFully(StreamSinkChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            Channels.writeBlocking(out, buffer);
        }
    }

    private static void finish(StreamSinkChannel out) throws IOException {
        out.shutdownWrites();
        Channels.flushBlocking(out);
    }

    /** An I/O failure: 500 if nothing was sent yet, else the connection is cut so the client sees it. */
    private static void fail(HttpServerExchange exchange, Path file, IOException e) {
        if (exchange.isResponseStarted()) {
            log.debug("Sending {} failed, closing the connection", file, e);
            IoUtils.safeClose(exchange.getConnection());
        } else {
            log.warn("Cannot read {}: {}", file, e.toString());
            exchange.getResponseHeaders().remove(Headers.CONTENT_RANGE);
            sendError(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "cannot read the file");
        }
    }

    /** A short plain-text error that no cache stores. */
    private static void sendError(HttpServerExchange exchange, int status, String message) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TEXT).put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(status + " " + message + "\n", UTF_8);
    }

    /** Every line of a list-valued field, joined by commas; null when absent. */
    private static @Nullable String joined(HeaderMap headers, HttpString name) {
        HeaderValues values = headers.get(name);
        return values == null || values.isEmpty() ? null : String.join(",", values);
    }

    /** A field that must appear once; null when absent or repeated (the recipient then ignores it). */
    private static @Nullable String single(HeaderMap headers, HttpString name) {
        HeaderValues values = headers.get(name);
        return values == null || values.size() != 1 ? null : values.getFirst();
    }

    // --- locating the file -------------------------------------------------------------------

    /** Where a request path leads. */
    private sealed interface Target permits Invalid, Missing, Redirect, Found {}

    private record Invalid() implements Target {}

    private record Missing() implements Target {}

    private record Redirect(String location) implements Target {}

    /**
     * @param file the real path of a regular file under the root
     * @param name the name the client asked for, which picks the Content-Type
     */
    private record Found(Path file, String name) implements Target {}

    /** Maps an undecoded request path to a file under the root. Blocking: touches the file system. */
    Target locate(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return new Invalid();
        }
        Path path = root;
        String name = INDEX;
        for (String rawSegment : rawPath.substring(1).split("/", -1)) {
            if (rawSegment.isEmpty()) {
                continue;
            }
            Optional<String> decoded = decode(rawSegment);
            if (decoded.isEmpty()) {
                return new Invalid();
            }
            String segment = decoded.get();
            if (segment.equals(".")
                    || segment.equals("..")
                    || segment.indexOf('/') >= 0
                    || segment.indexOf('\\') >= 0
                    || segment.indexOf('\0') >= 0) {
                return new Missing();
            }
            try {
                path = path.resolve(segment);
            } catch (InvalidPathException e) {
                return new Missing();
            }
            name = segment;
        }
        if (!path.normalize().startsWith(root)) {
            return new Missing();
        }
        Optional<Path> real = realPathUnderRoot(path);
        if (real.isEmpty()) {
            return new Missing();
        }
        boolean trailingSlash = rawPath.endsWith("/");
        Path file = real.get();
        if (Files.isDirectory(file)) {
            if (!trailingSlash) {
                return new Redirect(rawPath + "/");
            }
            real = realPathUnderRoot(file.resolve(INDEX));
            if (real.isEmpty()) {
                return new Missing();
            }
            file = real.get();
            name = INDEX;
        } else if (trailingSlash) {
            return new Missing();
        }
        return Files.isRegularFile(file) ? new Found(file, name) : new Missing();
    }

    private Optional<Path> realPathUnderRoot(Path path) {
        try {
            Path real = path.toRealPath();
            return real.startsWith(root) ? Optional.of(real) : Optional.empty();
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

    /** Strict percent-decoding of one path segment as UTF-8; empty when malformed. */
    static Optional<String> decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return Optional.of(segment);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '%') {
                if (i + 2 >= segment.length()) {
                    return Optional.empty();
                }
                int high = Character.digit(segment.charAt(i + 1), 16);
                int low = Character.digit(segment.charAt(i + 2), 16);
                if (high < 0 || low < 0) {
                    return Optional.empty();
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                return Optional.empty(); // raw non-ASCII never reaches here from a valid request line
            }
        }
        try {
            CharBuffer chars = UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()));
            return Optional.of(chars.toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "StaticFileHandler[" + root + "]";
    }
}
