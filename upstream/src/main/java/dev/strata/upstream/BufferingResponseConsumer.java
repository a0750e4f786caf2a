package dev.strata.upstream;

import dev.strata.cache.store.HeaderList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response head and body into an {@link UpstreamResponse}, failing once the body passes
 * a byte limit so an oversized answer never fills the heap.
 */
final class BufferingResponseConsumer extends AbstractBinResponseConsumer<UpstreamResponse> {
    /** Thrown into HttpClient when the body passes the limit. */
    static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        TooLargeException(String message) {
            super(message);
        }
    }

    private final long maxBodyBytes;
    private final long requestTimeMillis;
    private final Clock clock;
    private final URI host;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private @Nullable HttpResponse head;

    BufferingResponseConsumer(long maxBodyBytes, long requestTimeMillis, Clock clock, URI host) {
        this.maxBodyBytes = maxBodyBytes;
        this.requestTimeMillis = requestTimeMillis;
        this.clock = clock;
        this.host = host;
    }

    @Override
    protected void start(HttpResponse response, @Nullable ContentType contentType) {
        this.head = response;
    }

    @Override
    protected int capacityIncrement() {
        return 64 * 1024;
    }

    @Override
    protected void data(ByteBuffer data, boolean endOfStream) throws IOException {
        if (body.size() + (long) data.remaining() > maxBodyBytes) {
            throw new TooLargeException("response body from " + host + " is larger than " + maxBodyBytes + " bytes");
        }
        if (data.hasArray()) {
            body.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            data.position(data.limit());
        } else {
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            body.write(chunk);
        }
    }

    @Override
    protected UpstreamResponse buildResult() {
        HttpResponse response = head;
        if (response == null) {
            throw new IllegalStateException("no response head from " + host);
        }
        List<HeaderList.Field> fields = new ArrayList<>();
        for (Header header : response.getHeaders()) {
            fields.add(new HeaderList.Field(header.getName(), header.getValue()));
        }
        return new UpstreamResponse(
                response.getCode(),
                new HeaderList(fields),
                body.toByteArray(),
                requestTimeMillis,
                clock.millis(),
                host);
    }

    @Override
    public void releaseResources() {}
}
