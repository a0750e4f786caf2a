package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code waf} and {@code rate-limits} sections: what they read, and every error, whole. */
class WafAndRateLimitConfigTest {
    private static StrataConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "strata.yaml");
    }

    private static void assertRejected(String yaml, String message) {
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void aWholeWafSectionIsRead() {
        StrataConfig config = parse(
                """
                waf:
                  enabled: true
                  mode: detect
                  allow: [10.0.0.0/8]
                  deny: [192.0.2.0/24]
                  allowed-methods: [GET, HEAD]
                  anomaly-threshold: 8
                  disabled-rules: [xss.html-tag, block-wp]
                  rules:
                    - id: block-wp
                      description: WordPress logins
                      targets: [path, header:x-original-url]
                      pattern: '(?i)^/wp-login\\.php'
                      score: 3
                    - id: bad-bot
                      targets: [user-agent]
                      pattern: BadBot
                """);

        WafConfig waf = config.waf();
        assertThat(waf.enabled()).isTrue();
        assertThat(waf.detectOnly()).isTrue();
        assertThat(waf.allowedMethods()).containsExactly("GET", "HEAD");
        assertThat(waf.anomalyThreshold()).isEqualTo(8);
        assertThat(waf.disabledRules()).containsExactly("xss.html-tag", "block-wp");
        assertThat(waf.rules())
                .containsExactly(
                        new WafRuleConfig(
                                "block-wp",
                                "WordPress logins",
                                List.of("path", "header:x-original-url"),
                                "(?i)^/wp-login\\.php",
                                3),
                        new WafRuleConfig("bad-bot", "", List.of("user-agent"), "BadBot", 5));
    }

    @Test
    void aWholeRateLimitsSectionIsRead() {
        StrataConfig config = parse(
                """
                rate-limits:
                  enabled: true
                  requests-per-second: 50
                  burst: 100
                  max-buckets: 1000
                  rules:
                    - name: api-keys
                      hosts: [api.example.com]
                      path-prefix: /v1/
                      key: header:X-Api-Key
                      requests-per-second: 10
                      burst: 20
                    - requests-per-second: 0.5
                      burst: 1
                      key: route
                """);

        RateLimitConfig limits = config.rateLimits();
        assertThat(limits)
                .isEqualTo(new RateLimitConfig(
                        true,
                        50,
                        100,
                        1000,
                        List.of(
                                new RateLimitRuleConfig(
                                        "api-keys", List.of("api.example.com"), "/v1/", "header:X-Api-Key", 10, 20),
                                new RateLimitRuleConfig("limit-2", List.of("*"), "/", "route", 0.5, 1))));
        assertThat(limits.rules().get(0).matches("api.example.com", "/v1/orders"))
                .isTrue();
        assertThat(limits.rules().get(0).matches("API.example.com", "/v2/orders"))
                .isFalse();
        assertThat(limits.rules().get(0).matches("www.example.com", "/v1/orders"))
                .isFalse();
        // The absolute form of the name is the same host: a trailing dot must not evade the limit.
        assertThat(limits.rules().get(0).matches("api.example.com.", "/v1/orders"))
                .isTrue();
        assertThat(limits.rules().get(0).matches("api.example.com..", "/v1/orders"))
                .isFalse();
    }

    @Test
    void aBadRegexNamesItsLineTheKeyAndWhatIsWrong() {
        assertRejected(
                """
                waf:
                  rules:
                    - id: broken
                      targets: [query]
                      pattern: '(?i)union(select'
                """,
                "strata.yaml:5: waf.rules[0].pattern: \"(?i)union(select\" is not a regular expression (expected: Java"
                        + " regex syntax; Unclosed group at index 16)");
    }

    @Test
    void aRuleWithoutAPatternIsMissingIt() {
        assertRejected(
                """
                waf:
                  rules:
                    - id: nothing
                      targets: [query]
                """,
                "strata.yaml:3: waf.rules[0].pattern: missing (expected: a regular expression, e.g."
                        + " (?i)^/wp-login\\.php)");
    }

    @Test
    void anUnknownTargetListsTheTargets() {
        assertRejected(
                """
                waf:
                  rules:
                    - id: r
                      targets: [body]
                      pattern: x
                """,
                "strata.yaml:4: waf.rules[0].targets[0]: \"body\" is not a WAF rule target (expected: one of path,"
                        + " query, method, host, user-agent, headers, or header:NAME)");
    }

    @Test
    void aRuleCannotTakeABuiltInRulesIdOrAnotherRulesId() {
        assertRejected(
                """
                waf:
                  rules:
                    - id: sqli.union-select
                      targets: [query]
                      pattern: x
                """,
                "strata.yaml:3: waf.rules[0].id: \"sqli.union-select\" is a built-in rule's id (expected: a unique id)");
        assertRejected(
                """
                waf:
                  rules:
                    - id: mine
                      targets: [query]
                      pattern: x
                    - id: mine
                      targets: [path]
                      pattern: y
                """,
                "strata.yaml:6: waf.rules[1].id: \"mine\" is already the id of waf.rules[0] (expected: a unique id)");
    }

    @Test
    void disablingAnUnknownRuleIsAnErrorEvenWhenTheRulesComeLater() {
        assertRejected(
                """
                waf:
                  disabled-rules:
                    - mine
                    - sqli.unoin-select
                  rules:
                    - id: mine
                      targets: [query]
                      pattern: x
                """,
                "strata.yaml:4: waf.disabled-rules[1]: \"sqli.unoin-select\" is not a rule id (expected: a built-in"
                        + " rule's id or one of waf.rules[].id)");
    }

    @Test
    void modeMethodsAndThresholdAreChecked() {
        assertRejected(
                "waf:\n  mode: log\n",
                "strata.yaml:2: waf.mode: \"log\" is not a WAF mode (expected: one of block, detect)");
        assertRejected(
                "waf:\n  allowed-methods: [GET, \"B@D\"]\n",
                "strata.yaml:2: waf.allowed-methods[1]: \"B@D\" is not an HTTP method (expected: e.g. GET)");
        assertRejected(
                "waf:\n  allowed-methods: []\n",
                "strata.yaml:2: waf.allowed-methods: empty (expected: at least one method, e.g. [GET, HEAD])");
        assertRejected(
                "waf:\n  anomaly-threshold: 0\n",
                "strata.yaml:2: waf.anomaly-threshold: \"0\" is out of range (expected: >= 1)");
    }

    @Test
    void rateLimitRulesAreChecked() {
        assertRejected(
                """
                rate-limits:
                  rules:
                    - name: default
                      requests-per-second: 1
                      burst: 1
                """,
                "strata.yaml:3: rate-limits.rules[0].name: \"default\" is the default limit's name (expected: a unique"
                        + " name)");
        assertRejected(
                """
                rate-limits:
                  rules:
                    - key: cookie
                      requests-per-second: 1
                      burst: 1
                """,
                "strata.yaml:3: rate-limits.rules[0].key: \"cookie\" is not a rate limit key (expected: client, route or"
                        + " header:NAME)");
        assertRejected(
                """
                rate-limits:
                  rules:
                    - path-prefix: api
                      requests-per-second: 1
                      burst: 1
                """,
                "strata.yaml:3: rate-limits.rules[0].path-prefix: \"api\" is not a path prefix (expected: e.g. /api/)");
        assertRejected(
                """
                rate-limits:
                  rules:
                    - requests-per-second: 1
                """,
                "strata.yaml:3: rate-limits.rules[0].burst: missing (expected: the limit's bucket size, e.g. 20)");
        assertRejected(
                """
                rate-limits:
                  rules:
                    - requests-per-second: 0
                      burst: 1
                """,
                "strata.yaml:3: rate-limits.rules[0].requests-per-second: \"0\" is out of range (expected: > 0)");
        assertRejected(
                "rate-limits:\n  max-buckets: 0\n",
                "strata.yaml:2: rate-limits.max-buckets: \"0\" is out of range (expected: >= 1)");
    }

    @Test
    void flagsCanTurnTheWafAndRateLimitsOn() {
        StrataConfig config = ConfigLoader.load(
                null,
                Map.of("waf.enabled", "true", "rate-limits.enabled", "true", "waf.disabled-rules", "xss.html-tag"));

        assertThat(config.waf().enabled()).isTrue();
        assertThat(config.waf().disabledRules()).containsExactly("xss.html-tag");
        assertThat(config.rateLimits().enabled()).isTrue();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("waf.disabled-rules", "nope")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "command line: waf.disabled-rules[0]: \"nope\" is not a rule id (expected: a built-in rule's id or"
                                + " one of waf.rules[].id)");
    }

    @Test
    void aReloadReportsChangedRulesByKey() {
        StrataConfig before = parse("waf:\n  rules:\n    - id: a\n      targets: [query]\n      pattern: x\n");
        StrataConfig after = parse("waf:\n  rules:\n    - id: a\n      targets: [query]\n      pattern: y\n");

        assertThat(ConfigDiff.changes(before, after)).containsExactly("waf.rules[0].pattern");
    }
}
