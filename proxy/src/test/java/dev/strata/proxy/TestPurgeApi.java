package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.ListenAddress;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.config.SiteConfig;
import dev.strata.purge.PurgeApiServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A purge API for tests, on 127.0.0.1, with one token allowed to purge every site. */
final class TestPurgeApi implements AutoCloseable {
    private static final String TOKEN = "follower-test-token";
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");

    private final PurgeApiServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestPurgeApi(PurgeApiServer server) {
        this.server = server;
    }

    /** An API whose log lives in {@code logDir}, for one site in front of {@code origin}. */
    static TestPurgeApi start(Path logDir, URI origin) throws NoSuchAlgorithmException {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(TOKEN.getBytes(StandardCharsets.UTF_8));
        return new TestPurgeApi(PurgeApiServer.start(
                new PurgeApiConfig(ListenAddress.of("127.0.0.1", 0), logDir)
                        .withTokens(List.of(new PurgeTokenConfig(
                                "ops", HexFormat.of().formatHex(hash), List.of("*"), List.of("purge", "read")))),
                List.of(SiteConfig.anyHost(List.of(origin))),
                Clock.systemUTC()));
    }

    URI uri() {
        return server.uri();
    }

    /** Posts a purge ({@code {"tags":["a"]}}, …), asserts it was accepted and returns its sequence number. */
    long post(String json) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(server.uri().resolve("/v1/purge"))
                        .header("Authorization", "Bearer " + TOKEN)
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        Matcher seq = SEQ.matcher(response.body());
        assertThat(seq.find()).isTrue();
        return Long.parseLong(seq.group(1));
    }

    @Override
    public void close() {
        server.close();
    }
}
