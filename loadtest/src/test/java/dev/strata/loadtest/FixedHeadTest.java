package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixedHeadTest {
    @Test
    void readsAHeadAsCurlPrintsItWithoutTheFieldsUndertowWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("hit.head");
        Files.writeString(
                file,
                String.join(
                        "\r\n",
                        "HTTP/1.1 200 OK",
                        "Cache-Control: public, max-age=86400",
                        "X-Request-Id: 85f8b91a81525e1f37fa87b48139062a",
                        "Date: Tue, 24 Nov 2026 05:16:34 GMT",
                        "Connection: keep-alive",
                        "ETag: \"f185c528\"",
                        "Cache-Status: edge; hit; ttl=86399",
                        "Content-Length: 1024",
                        "Age: 0",
                        "",
                        ""),
                StandardCharsets.UTF_8);

        assertThat(FixedHead.read(file).fields())
                .containsExactly(
                        new FixedHead.Field("Cache-Control", "public, max-age=86400"),
                        new FixedHead.Field("X-Request-Id", "85f8b91a81525e1f37fa87b48139062a"),
                        new FixedHead.Field("ETag", "\"f185c528\""),
                        new FixedHead.Field("Cache-Status", "edge; hit; ttl=86399"),
                        new FixedHead.Field("Age", "0"));
    }

    @Test
    void aLineThatIsNoFieldIsNamedWithItsLineNumber() {
        assertThatThrownBy(() -> FixedHead.parse(List.of("Age: 0", "no colon here"), "hit.head"))
                .isInstanceOf(LoadtestException.class)
                .hasMessage("hit.head:2: \"no colon here\" (expected: a header field, Name: value)");
        assertThatThrownBy(() -> FixedHead.parse(List.of("Bad Name: x"), "hit.head"))
                .hasMessageStartingWith("hit.head:1: \"Bad Name: x\"");
        assertThatThrownBy(() -> FixedHead.parse(List.of("HTTP/1.1 200 OK", "Date: x"), "hit.head"))
                .hasMessage("hit.head: no header fields");
        assertThatThrownBy(() -> FixedHead.read(Path.of("/nonexistent/hit.head")))
                .isInstanceOf(LoadtestException.class)
                .hasMessageStartingWith("cannot read /nonexistent/hit.head");
    }

    @Test
    void aTestOriginWithAHeadSendsItsFieldsInsteadOfItsOwn() throws Exception {
        FixedHead head = FixedHead.parse(
                List.of("Cache-Status: edge; hit; ttl=5", "X-Cache: HIT", "X-Cache: second", "Age: 3"), "test");
        try (TestOrigin origin = TestOrigin.start(OriginMode.parse("fast"), head)) {
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(origin.uri() + "/bare?size=100"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).hasSize(100);
            assertThat(response.headers().allValues("X-Cache")).containsExactly("HIT", "second");
            assertThat(response.headers().firstValue("Cache-Status")).contains("edge; hit; ttl=5");
            assertThat(response.headers().firstValue("Age")).contains("3");
            assertThat(response.headers().firstValue("Cache-Control")).isEmpty();
            assertThat(response.headers().firstValue("Content-Length")).contains("100");
        }
    }
}
