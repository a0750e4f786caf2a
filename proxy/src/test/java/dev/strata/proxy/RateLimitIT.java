package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rate limits of a real edge, configured in YAML, on a clock the test moves: a burst then 429
 * with the right {@code Retry-After}, refill, buckets per client, per header value and per route
 * (clients on 127.0.0.1, 127.0.0.2 and 127.0.0.3), a bounded bucket map, reloads changing the WAF
 * and the limits, and the counters on {@code /metrics}.
 */
class RateLimitIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final Nodes nodes = new Nodes();
    private final TestOrigin origin = new TestOrigin();

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private static int status(ProxyNode edge, String from, String target, String headers) throws Exception {
        return RawHttp.get(edge, from, target, headers).status();
    }

    /** How many of {@code attempts} GETs of {@code target} from {@code from} were answered 200. */
    private static int passed(ProxyNode edge, String from, String target, String headers, int attempts)
            throws Exception {
        int passed = 0;
        for (int i = 0; i < attempts; i++) {
            int status = status(edge, from, target, headers);
            assertThat(status).isIn(200, 429);
            passed += status == 200 ? 1 : 0;
        }
        return passed;
    }

    /** {@code strata.ratelimit.rejections{limit}} as {@code /metrics} shows it. */
    private static double rejections(ProxyNode edge, String limit) throws Exception {
        return YamlEdge.metrics(edge).value("strata_ratelimit_rejections_total", "limit", limit);
    }

    @Test
    void aBurstThenA429WithRetryAfterThenTokensAsTheClockAdvances() throws Exception {
        ProxyNode edge = new YamlEdge(nodes, dir, origin.uri())
                .start("rate-limits:\n  enabled: true\n  requests-per-second: 0.2\n  burst: 3\n");

        assertThat(passed(edge, "127.0.0.1", "/a.css", "", 3)).isEqualTo(3);
        RawHttp.Response limited = RawHttp.get(edge, "127.0.0.1", "/a.css", "");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).as("a token every 5 s").hasValue("5");
        assertThat(limited.body())
                .isEqualTo("429 Too Many Requests (rate limit \"default\": 0.2 per second, bursts of 3, per client)\n");
        assertThat(passed(edge, "127.0.0.2", "/a.css", "", 1))
                .as("another client")
                .isEqualTo(1);

        nodes.clock.advance(Duration.ofSeconds(2));
        assertThat(RawHttp.get(edge, "127.0.0.1", "/a.css", "").header("Retry-After"))
                .hasValue("3");
        nodes.clock.advance(Duration.ofSeconds(3));
        assertThat(passed(edge, "127.0.0.1", "/a.css", "", 2))
                .as("one token back")
                .isEqualTo(1);
        nodes.clock.advance(Duration.ofMinutes(1));
        assertThat(passed(edge, "127.0.0.1", "/a.css", "", 5))
                .as("full again: the burst")
                .isEqualTo(3);

        assertThat(rejections(edge, "default")).isEqualTo(5);
    }

    @Test
    void headerKeysAndRoutesHaveBucketsOfTheirOwn() throws Exception {
        ProxyNode edge = new YamlEdge(nodes, dir, origin.uri())
                .start(
                        """
                rate-limits:
                  enabled: true
                  requests-per-second: 1000
                  burst: 1000
                  rules:
                    - name: api-keys
                      path-prefix: /api/
                      key: header:X-Api-Key
                      requests-per-second: 0.01
                      burst: 2
                    - name: search
                      hosts: [www.example.com]
                      path-prefix: /search
                      key: route
                      requests-per-second: 0.01
                      burst: 3
                """);

        assertThat(passed(edge, "127.0.0.1", "/api/a", "X-Api-Key: k1\r\n", 3)).isEqualTo(2);
        assertThat(passed(edge, "127.0.0.2", "/api/a", "X-Api-Key: k1\r\n", 1))
                .as("the key's bucket, whoever sends it")
                .isZero();
        assertThat(passed(edge, "127.0.0.1", "/api/a", "X-Api-Key: k2\r\n", 3)).isEqualTo(2);
        RawHttp.Response limited = RawHttp.get(edge, "127.0.0.1", "/api/a", "X-Api-Key: k2\r\n");
        assertThat(limited.body())
                .isEqualTo(
                        "429 Too Many Requests (rate limit \"api-keys\": 0.01 per second, bursts of 2, per X-Api-Key)\n");
        assertThat(limited.header("Retry-After")).hasValue("100");

        assertThat(passed(edge, "127.0.0.1", "/search?q=1", "", 2)).isEqualTo(2);
        assertThat(passed(edge, "127.0.0.2", "/search?q=2", "", 2))
                .as("one bucket for the route, shared by every client")
                .isEqualTo(1);
        assertThat(passed(edge, "127.0.0.3", "/search?q=3", "", 1)).isZero();
        assertThat(RawHttp.send(
                                edge,
                                "127.0.0.4",
                                "GET /search?q=4 HTTP/1.1\r\nHost: www.example.com.\r\nConnection: close\r\n\r\n")
                        .status())
                .as("the absolute form of the host is the same host: its trailing dot evades nothing")
                .isEqualTo(429);
        assertThat(passed(edge, "127.0.0.3", "/a.css", "", 1))
                .as("other paths are not the route's")
                .isEqualTo(1);

        assertThat(rejections(edge, "api-keys")).isEqualTo(4);
        assertThat(rejections(edge, "search")).isEqualTo(3);
        assertThat(rejections(edge, "default")).isZero();
    }

    @Test
    void aFloodOfDistinctKeysLeavesTheBucketsBounded() throws Exception {
        ProxyNode edge = new YamlEdge(nodes, dir, origin.uri())
                .start(
                        """
                rate-limits:
                  enabled: true
                  requests-per-second: 1000
                  burst: 1000
                  max-buckets: 20
                  rules:
                    - name: keys
                      key: header:X-Key
                      requests-per-second: 1
                      burst: 1
                """);

        for (int i = 0; i < 200; i++) {
            assertThat(status(edge, "127.0.0.1", "/a.css", "X-Key: key-" + i + "\r\n"))
                    .isEqualTo(200);
        }

        JsonNode limits = new ObjectMapper()
                .readTree(YamlEdge.admin(edge, "/status.json"))
                .at("/rateLimits/limits");
        assertThat(limits.findValuesAsText("name")).containsExactly("default", "keys");
        assertThat(limits.get(1).path("buckets").asLong()).isBetween(1L, 20L);
        assertThat(limits.get(0).path("buckets").asLong()).as("one client").isEqualTo(1);
    }

    @Test
    void aReloadTurnsTheWafOnAndChangesALimitAndABadRegexChangesNothing() throws Exception {
        YamlEdge file = new YamlEdge(nodes, dir, origin.uri());
        String limits = "rate-limits:\n  enabled: true\n  requests-per-second: 0.001\n  burst: %d\n";
        ProxyNode edge = file.start(String.format(Locale.ROOT, limits, 1));
        String attack = "/p?q=%3Cscript%3E";
        assertThat(status(edge, "127.0.0.1", attack, "")).as("no WAF yet").isEqualTo(200);
        assertThat(status(edge, "127.0.0.1", attack, "")).isEqualTo(429);

        ReloadResult result = file.reload(edge, "waf:\n  enabled: true\n" + String.format(Locale.ROOT, limits, 3));

        assertThat(result)
                .isEqualTo(new ReloadResult.Applied(List.of("waf.enabled", "rate-limits.burst"), List.of(), List.of()));
        assertThat(RawHttp.get(edge, "127.0.0.1", attack, "").body())
                .isEqualTo("403 Forbidden (WAF: xss.script-tag, xss.html-tag; anomaly score 7 >= 5)\n");
        assertThat(passed(edge, "127.0.0.1", "/a.css", "", 4))
                .as("new limits start with full buckets of 3")
                .isEqualTo(3);

        ReloadResult rejected = file.reload(
                edge,
                "waf:\n  enabled: false\n  rules:\n    - id: broken\n      targets: [query]\n      pattern: 'a(b'\n"
                        + String.format(Locale.ROOT, limits, 3));
        assertThat(rejected).isInstanceOf(ReloadResult.Rejected.class);
        assertThat(((ReloadResult.Rejected) rejected).reason())
                .matches("strata\\.yaml:\\d+: waf\\.rules\\[0]\\.pattern: \"a\\(b\" is not a regular expression"
                        + " \\(expected: Java regex syntax; Unclosed group at index 3\\)");
        assertThat(status(edge, "127.0.0.2", attack, ""))
                .as("the running WAF stays")
                .isEqualTo(403);
        assertThat(origin.count("/p")).isEqualTo(1);
    }
}
