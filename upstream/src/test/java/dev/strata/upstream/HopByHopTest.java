package dev.strata.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.HeaderList;
import org.junit.jupiter.api.Test;

class HopByHopTest {
    @Test
    void hopByHopFieldsAreRemoved() {
        HeaderList headers = HeaderList.of(
                "Connection", "keep-alive",
                "Keep-Alive", "timeout=5",
                "TE", "trailers",
                "Transfer-Encoding", "chunked",
                "Upgrade", "websocket",
                "Proxy-Connection", "keep-alive",
                "Proxy-Authenticate", "Basic",
                "Proxy-Authorization", "Basic eDp5",
                "Trailer", "X-Checksum",
                "Content-Length", "42",
                "Host", "example.com");

        assertThat(HopByHop.strip(headers).fields()).isEmpty();
    }

    @Test
    void namesMatchCaseInsensitively() {
        HeaderList headers =
                HeaderList.of("CONNECTION", "close", "transfer-encoding", "chunked", "content-LENGTH", "1");

        assertThat(HopByHop.strip(headers).fields()).isEmpty();
    }

    @Test
    void fieldsNamedInConnectionAreRemoved() {
        HeaderList headers = HeaderList.of(
                "Connection", "close, X-Hop ,, x-other",
                "connection", "X-Third",
                "X-Hop", "1",
                "X-OTHER", "2",
                "x-third", "3",
                "X-Kept", "4");

        assertThat(HopByHop.strip(headers)).isEqualTo(HeaderList.of("X-Kept", "4"));
    }

    @Test
    void endToEndFieldsAreKeptInOrder() {
        HeaderList headers = HeaderList.of(
                "Accept", "text/html",
                "Connection", "close",
                "Set-Cookie", "a=1",
                "Cache-Control", "max-age=60",
                "Host", "example.com",
                "Set-Cookie", "b=2",
                "Authorization", "Bearer t",
                "Via", "1.1 edge");

        assertThat(HopByHop.strip(headers))
                .isEqualTo(HeaderList.of(
                        "Accept", "text/html",
                        "Set-Cookie", "a=1",
                        "Cache-Control", "max-age=60",
                        "Set-Cookie", "b=2",
                        "Authorization", "Bearer t",
                        "Via", "1.1 edge"));
    }

    @Test
    void headersWithoutHopByHopFieldsAreUnchanged() {
        HeaderList headers = HeaderList.of("Accept", "*/*", "User-Agent", "curl");

        assertThat(HopByHop.strip(headers)).isEqualTo(headers);
    }
}
