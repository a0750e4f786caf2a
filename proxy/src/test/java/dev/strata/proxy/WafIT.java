package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WAF of a real edge, configured in YAML, judging requests written byte for byte from two
 * loopback addresses: networks, each protocol check, signatures blocking and in detect mode, an
 * operator's rules and their scores, the access log and the counters on {@code /metrics}. Nothing
 * refused reaches the origin.
 */
class WafIT {
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

    private ProxyNode edge(String waf) {
        return new YamlEdge(nodes, dir, origin.uri()).start(waf);
    }

    private static RawHttp.Response get(ProxyNode edge, String target) throws Exception {
        return RawHttp.get(edge, "127.0.0.1", target, "");
    }

    @Test
    void deniedNetworksGet403AndAllowedOnesSkipTheRules() throws Exception {
        ProxyNode edge = edge(
                """
                waf:
                  enabled: true
                  deny: [127.0.0.0/8]
                  allow: [127.0.0.2/32]
                """);

        RawHttp.Response denied = RawHttp.get(edge, "127.0.0.1", "/a.css", "");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.body()).isEqualTo("403 Forbidden (WAF: network.deny)\n");
        assertThat(denied.header("Cache-Control")).hasValue("no-store");
        assertThat(denied.header("X-Served-By")).hasValue("ams");
        assertThat(origin.count("/a.css")).isZero();

        RawHttp.Response allowed = RawHttp.get(edge, "127.0.0.2", "/p?q=%3Cscript%3Ealert(1)%3C/script%3E", "");
        assertThat(allowed.status())
                .as("the longer prefix allows, and skips the signatures")
                .isEqualTo(200);
        assertThat(origin.count("/p")).isEqualTo(1);
    }

    @Test
    void eachProtocolCheckRefusesOnTheWireAndUndertowRefusesWhatItParsesBadly() throws Exception {
        ProxyNode edge = edge("waf:\n  enabled: true\n");
        String host = "Host: www.example.com\r\nConnection: close\r\n";

        assertThat(get(edge, "/a%00.css").body()).isEqualTo("403 Forbidden (WAF: protocol.nul-byte)\n");
        assertThat(RawHttp.get(edge, "127.0.0.1", "/a.css", "X-Note: a\0b\r\n").body())
                .isEqualTo("403 Forbidden (WAF: protocol.nul-byte)\n");
        for (String traversal :
                List.of("/a/../a.css", "/a/%2e%2e/a.css", "/a/.%2E/a.css", "/a/..%2fa.css", "/a/%252e%252e/x")) {
            assertThat(get(edge, traversal).body())
                    .as(traversal)
                    .isEqualTo("403 Forbidden (WAF: protocol.path-traversal)\n");
        }
        assertThat(get(edge, "/%c0%ae%c0%ae/a.css").body())
                .isEqualTo("403 Forbidden (WAF: protocol.invalid-encoding)\n");
        assertThat(get(edge, "/p?q=%c0%ae%c0%ae/").body())
                .isEqualTo("403 Forbidden (WAF: protocol.invalid-encoding)\n");
        assertThat(RawHttp.send(edge, "127.0.0.1", "TRACE / HTTP/1.1\r\n" + host + "\r\n")
                        .body())
                .isEqualTo("403 Forbidden (WAF: protocol.method)\n");
        assertThat(RawHttp.send(edge, "127.0.0.1", "GET /a.css HTTP/1.1\r\n" + host + "Content-Length: 3\r\n\r\nabc")
                        .body())
                .isEqualTo("403 Forbidden (WAF: protocol.body-on-get)\n");
        assertThat(RawHttp.send(edge, "127.0.0.1", "POST /p HTTP/1.1\r\n" + host + "Transfer-Encoding: gzip\r\n\r\nabc")
                        .body())
                .isEqualTo("403 Forbidden (WAF: protocol.transfer-encoding)\n");
        // Undertow's parser answers these itself, before any handler: the WAF need not.
        assertThat(get(edge, "/p?q=50%").status()).isEqualTo(400);
        assertThat(get(edge, "/a%zz.css").status()).isEqualTo(400);
        assertThat(RawHttp.send(edge, "127.0.0.1", "GET /a/..\\a.css HTTP/1.1\r\n" + host + "\r\n")
                        .status())
                .isEqualTo(400);
        assertThat(RawHttp.send(
                                edge,
                                "127.0.0.1",
                                "POST /p HTTP/1.1\r\n" + host + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
                        .status())
                .isEqualTo(400);
        assertThat(RawHttp.send(
                                edge,
                                "127.0.0.1",
                                "POST /p HTTP/1.1\r\n" + host
                                        + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n")
                        .status())
                .isEqualTo(400);
        assertThat(origin.total()).isZero();
        assertThat(get(edge, "/a.css").status())
                .as("and an ordinary request passes")
                .isEqualTo(200);
    }

    @Test
    void aSignatureBlocksAndDetectModeLetsItThroughCountingBoth() throws Exception {
        String attack = "/p?id=1%20UNION%20SELECT%20password%20FROM%20users";
        ProxyNode blocking = edge("waf:\n  enabled: true\n");

        RawHttp.Response blocked = get(blocking, attack);
        assertThat(blocked.status()).isEqualTo(403);
        assertThat(blocked.body()).isEqualTo("403 Forbidden (WAF: sqli.union-select; anomaly score 5 >= 5)\n");
        assertThat(origin.count("/p")).isZero();
        PrometheusText counted = YamlEdge.metrics(blocking);
        assertThat(counted.value("strata_waf_blocks_total", "rule", "sqli.union-select", "action", "block"))
                .isEqualTo(1);
        assertThat(counted.value("strata_waf_requests_total", "action", "block"))
                .isEqualTo(1);
        assertThat(counted.value("strata_waf_blocks_total", "rule", "xss.script-tag", "action", "block"))
                .as("every built-in rule's counter exists")
                .isZero();
        Nodes.awaitRecorded(blocking, 1);
        assertThat(YamlEdge.metrics(blocking).value("strata_requests_seconds_count", "site", "none", "status", "error"))
                .as("refused before routing, like an admission refusal")
                .isEqualTo(1);
        nodes.stop(blocking);

        ProxyNode detecting = edge("waf:\n  enabled: true\n  mode: detect\n");
        RawHttp.Response detected = get(detecting, attack);
        assertThat(detected.status()).isEqualTo(200);
        assertThat(origin.count("/p")).isEqualTo(1);
        PrometheusText detectedMetrics = YamlEdge.metrics(detecting);
        assertThat(detectedMetrics.value("strata_waf_blocks_total", "rule", "sqli.union-select", "action", "detect"))
                .isEqualTo(1);
        assertThat(detectedMetrics.value("strata_waf_requests_total", "action", "detect"))
                .isEqualTo(1);
        assertThat(detectedMetrics.value("strata_waf_requests_total", "action", "block"))
                .isZero();
    }

    @Test
    void anOperatorsRulesFromYamlAddUpToTheThreshold() throws Exception {
        ProxyNode edge = edge(
                """
                waf:
                  enabled: true
                  anomaly-threshold: 5
                  disabled-rules: [scanner.user-agent]
                  rules:
                    - id: legacy-admin
                      description: the old admin pages
                      targets: [path]
                      pattern: '(?i)^/admin/'
                      score: 3
                    - id: internal-tool
                      targets: [header:x-tool]
                      pattern: '^probe$'
                      score: 2
                """);

        assertThat(get(edge, "/admin/a.css").status()).as("3 < 5").isEqualTo(200);
        assertThat(RawHttp.get(edge, "127.0.0.1", "/a.css", "X-Tool: probe\r\n").status())
                .as("2 < 5")
                .isEqualTo(200);
        RawHttp.Response both = RawHttp.get(edge, "127.0.0.1", "/admin/b.css", "X-Tool: probe\r\n");
        assertThat(both.status()).isEqualTo(403);
        assertThat(both.body()).isEqualTo("403 Forbidden (WAF: legacy-admin, internal-tool; anomaly score 5 >= 5)\n");
        assertThat(RawHttp.get(edge, "127.0.0.1", "/a.css", "User-Agent: sqlmap/1.7\r\n")
                        .status())
                .as("a disabled built-in rule")
                .isEqualTo(200);
        assertThat(origin.count("/admin/b.css")).isZero();
        PrometheusText counted = YamlEdge.metrics(edge);
        assertThat(counted.value("strata_waf_blocks_total", "rule", "legacy-admin", "action", "block"))
                .isEqualTo(1);
        assertThat(counted.value("strata_waf_blocks_total", "rule", "internal-tool", "action", "block"))
                .isEqualTo(1);
    }

    @Test
    void aRefusalIsInTheAccessLog() throws Exception {
        YamlEdge file = new YamlEdge(nodes, dir, origin.uri());
        ProxyNode edge = file.start("waf:\n  enabled: true\n");

        assertThat(get(edge, "/p?q=%3Cscript%3E").status()).isEqualTo(403);

        Path log = file.accessLog();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(log).exists());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(Files.readString(log, StandardCharsets.UTF_8))
                        .contains("\"GET /p?q=%3Cscript%3E HTTP/1.1\" 403 "));
    }
}
