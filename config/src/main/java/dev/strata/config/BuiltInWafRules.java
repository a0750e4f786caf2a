package dev.strata.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules every edge's WAF has built in, by id: what {@code waf.disabled-rules} may name besides
 * the operator's own. Two kinds, after nginx's strict parsing and OWASP CRS's anomaly scoring:
 *
 * <ul>
 *   <li>{@link #PROTOCOL_CHECKS}: requests no client needs to send (an encoded NUL, a {@code ..}
 *       segment, a body on GET). Each refuses the request alone, whatever the threshold; the proxy
 *       implements them as scans, not regular expressions.
 *   <li>{@link #SIGNATURES}: regular expressions for SQL injection, cross-site scripting, path
 *       traversal, JNDI and shell injection, and vulnerability scanners, each adding its score to
 *       the request's anomaly score. A score of 5 (CRS's "critical") blocks alone at the default
 *       threshold; weaker signs (2, 3, 4) block only together.
 * </ul>
 *
 * <p>The patterns are kept cheap: no nested quantifiers, every repetition bounded or over a
 * character class that cannot overlap what follows, so each runs in time linear in its input (the
 * proxy also bounds the work of every match; see {@code docs/configuration.md#waf}). Ids are stable:
 * they appear in metrics, logs and refusals.
 */
public final class BuiltInWafRules {
    /** The protocol checks: id and what it refuses. */
    public static final Map<String, String> PROTOCOL_CHECKS = protocolChecks();

    /** Characters in {@link Requirement} sets: {@code \s} as Java's regular expressions read it. */
    private static final String SPACE = " \t\n\u000B\f\r";

    private static final String DIGITS = "0123456789";

    /** The signature rules, in the order they are evaluated. */
    public static final List<WafRuleConfig> SIGNATURES;

    /**
     * For each signature rule, by id, what every value its pattern matches holds: a value lacking it
     * is skipped without a regular expression search (most values hold none of {@code < ' " ( ; $}
     * and none of the rule's words, so most rules cost a lookup or two per value). {@code
     * BuiltInWafRulesTest} checks that every match of every pattern meets its requirement.
     */
    public static final Map<String, Requirement> REQUIRES;

    /**
     * What a value must hold for a rule's pattern to match in it.
     *
     * @param characterSets sets of ASCII characters; the value holds a character of every set
     * @param anyOf words (ASCII); the value holds one of them, ignoring case; empty for no words
     */
    public record Requirement(List<String> characterSets, List<String> anyOf) {
        public Requirement {
            characterSets = List.copyOf(characterSets);
            anyOf = List.copyOf(anyOf);
        }
    }

    static {
        List<WafRuleConfig> rules = new ArrayList<>();
        Map<String, Requirement> requires = new LinkedHashMap<>();
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "sqli.union-select",
                        "SQL injection: UNION SELECT",
                        List.of("query", "header:cookie"),
                        "(?i)\\bunion[\\s/*+(]+(?:(?:all|distinct)[\\s/*+(]+)?select\\b",
                        5),
                need("uU", SPACE + "/*+("),
                anyOf("union"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "sqli.tautology",
                        "SQL injection: a condition that is always true (' OR '1'='1, 1 OR 1=1)",
                        List.of("query", "header:cookie"),
                        "(?i)(?:['\"`)]|\\b\\d+)\\s*(?:\\b(?:or|and|xor)\\b|\\|\\||&&)[\\s'\"`(]*\\w+[\\s'\"`)]*"
                                + "(?:=|<>|!=|<=?|>=?|\\blike\\b)",
                        5),
                need("'\"`)" + DIGITS, "oOaAxX|&", "=<>!lL"),
                anyOf("or", "and", "||", "&&"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "sqli.stacked-query",
                        "SQL injection: a second statement (; DROP, ; EXEC …)",
                        List.of("query", "header:cookie"),
                        "(?i);\\s*(?:drop|delete|insert|update|alter|create|truncate|exec|execute|shutdown|declare"
                                + "|grant|revoke)\\s",
                        5),
                need(";"),
                anyOf(
                        "drop",
                        "delete",
                        "insert",
                        "update",
                        "alter",
                        "create",
                        "truncate",
                        "exec",
                        "shutdown",
                        "declare",
                        "grant",
                        "revoke"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "sqli.time-based",
                        "SQL injection: a delay or a heavy function (SLEEP(), BENCHMARK(), WAITFOR DELAY)",
                        List.of("query", "header:cookie"),
                        "(?i)\\b(?:sleep|benchmark|pg_sleep|dbms_pipe\\.receive_message)\\s*\\(|\\bwaitfor\\s+delay\\b",
                        5),
                need("(wW"),
                anyOf("sleep", "benchmark", "dbms_pipe", "waitfor"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "sqli.catalog",
                        "SQL injection: database catalog names (information_schema, sqlite_master …)",
                        List.of("query", "header:cookie"),
                        "(?i)\\b(?:information_schema|sysobjects|syscolumns|pg_catalog|sqlite_master|mysql\\.user"
                                + "|all_tables)\\b",
                        4),
                need("_yY"),
                anyOf(
                        "information_schema",
                        "sysobjects",
                        "syscolumns",
                        "pg_catalog",
                        "sqlite_master",
                        "mysql.user",
                        "all_tables"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "sqli.comment",
                        "SQL injection: a quote followed by a comment (admin'--), or a MySQL /*! comment",
                        List.of("query", "header:cookie"),
                        "['\"`]\\s*(?:--|#|/\\*)|/\\*!",
                        3),
                need("'\"`!", "-#*"),
                anyOf("--", "#", "/*"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "xss.script-tag",
                        "Cross-site scripting: a <script> tag",
                        List.of("path", "query", "header:cookie", "header:referer"),
                        "(?i)<\\s*/?\\s*script\\b",
                        5),
                need("<"),
                anyOf("script"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "xss.event-handler",
                        "Cross-site scripting: an on… event handler attribute (onerror=, onload= …)",
                        List.of("path", "query", "header:cookie", "header:referer"),
                        "(?i)[\\s\"'`/;<>]on(?:abort|animation[a-z]*|auxclick|beforeunload|blur|change|click"
                                + "|contextmenu|copy|cut|dblclick|drag[a-z]*|drop|error|focus[a-z]*|hashchange|input|invalid"
                                + "|key(?:down|press|up)|load[a-z]*|message|mouse[a-z]+|paste|pointer[a-z]+|popstate|reset"
                                + "|resize|scroll|search|select|show|start|submit|toggle|touch[a-z]+|transition[a-z]*"
                                + "|unload|wheel)\\s*=",
                        5),
                need("=", "oO"),
                anyOf(
                        " on",
                        "\ton",
                        "\non",
                        "\u000Bon",
                        "\fon",
                        "\ron",
                        "\"on",
                        "'on",
                        "`on",
                        "/on",
                        ";on",
                        "<on",
                        ">on"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "xss.script-uri",
                        "Cross-site scripting: a javascript:, vbscript: or data:text/html URI",
                        List.of("query", "header:cookie"),
                        "(?i)\\b(?:javascript|vbscript|livescript)\\s*:|\\bdata\\s*:\\s*text/html\\b",
                        5),
                need(":"),
                anyOf("script", "data"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "xss.dangerous-tag",
                        "Cross-site scripting: a tag that loads or runs content (<iframe>, <object>, <svg> …)",
                        List.of("path", "query", "header:cookie", "header:referer"),
                        "(?i)<\\s*(?:iframe|frame|frameset|object|embed|applet|meta|base|svg|math)\\b",
                        5),
                need("<"),
                anyOf());
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "xss.html-tag",
                        "Cross-site scripting: any HTML tag in a parameter (a weak sign alone)",
                        List.of("query"),
                        "(?i)<\\s*/?\\s*[a-z][a-z0-9-]*[\\s/>]",
                        2),
                need("<"),
                anyOf());
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "lfi.traversal",
                        "Path traversal in a parameter (../, ..\\)",
                        List.of("query", "header:cookie"),
                        "\\.\\.[/\\\\]",
                        5),
                need(".", "/\\"),
                anyOf(".."));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "lfi.system-file",
                        "Local file inclusion: operating system files (/etc/passwd, /proc/self/, win.ini, \\windows\\ …)",
                        List.of("path", "query"),
                        // Each branch starts with a character without case: the engine skips fast.
                        "(?i)/(?:etc/(?:passwd|shadow|group|hosts)\\b|proc/self/)|\\.ini\\b(?<=\\b(?:win|boot"
                                + "|system)\\.ini)|:\\\\windows\\\\",
                        5),
                need("/.:"),
                anyOf("/etc/", "/proc/", ".ini", ":\\windows\\"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "lfi.sensitive-file",
                        "Requests for version control, environment or password files (/.git/, /.env, .htpasswd)",
                        List.of("path"),
                        "(?i)/\\.(?:(?:git|svn|hg)(?:/|$)|env(?:\\.|$)|ht(?:access|passwd)$)",
                        5),
                need("/", "."),
                anyOf("/."));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "rce.jndi",
                        "JNDI lookup injection (Log4Shell, CVE-2021-44228): ${jndi:…} or a nested ${…${",
                        List.of("path", "query", "headers"),
                        "(?i)\\$\\{\\s*(?:jndi\\s*:|[^}]{0,40}\\$\\{)",
                        5),
                need("$", "{"),
                anyOf("${"));
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "rce.shellshock",
                        "Shell function definition in a header (Shellshock, CVE-2014-6271)",
                        List.of("headers"),
                        "^\\s*\\(\\s*\\)\\s*\\{",
                        5),
                need("(", ")", "{"),
                anyOf());
        signature(
                rules,
                requires,
                new WafRuleConfig(
                        "scanner.user-agent",
                        "A vulnerability scanner's User-Agent (sqlmap, Nikto, Nuclei …)",
                        List.of("user-agent"),
                        "(?i)\\b(?:n(?:ikto|map|uclei|essus|etsparker)|s(?:qlmap|kipfish)|masscan|zgrab|dirbuster"
                                + "|gobuster|f(?:eroxbuster|imap|fuf)|w(?:pscan|3af|hatweb|fuzz)|a(?:cunetix|rachni)"
                                + "|openvas|havij|jaeles|commix)\\b",
                        5),
                need(),
                anyOf(
                        "nikto",
                        "sqlmap",
                        "nmap",
                        "nuclei",
                        "nessus",
                        "netsparker",
                        "skipfish",
                        "masscan",
                        "zgrab",
                        "dirbuster",
                        "gobuster",
                        "feroxbuster",
                        "fimap",
                        "ffuf",
                        "wpscan",
                        "w3af",
                        "whatweb",
                        "wfuzz",
                        "acunetix",
                        "arachni",
                        "openvas",
                        "havij",
                        "jaeles",
                        "commix"));
        SIGNATURES = List.copyOf(rules);
        REQUIRES = Collections.unmodifiableMap(requires);
    }

    private static void signature(
            List<WafRuleConfig> rules,
            Map<String, Requirement> requires,
            WafRuleConfig rule,
            List<String> characterSets,
            List<String> anyOf) {
        rules.add(rule);
        requires.put(rule.id(), new Requirement(characterSets, anyOf));
    }

    private static List<String> need(String... characterSets) {
        return List.of(characterSets);
    }

    private static List<String> anyOf(String... words) {
        return List.of(words);
    }

    private BuiltInWafRules() {}

    private static Map<String, String> protocolChecks() {
        Map<String, String> checks = new LinkedHashMap<>();
        checks.put("protocol.nul-byte", "A NUL byte in the path or query (%00) or in a header value");
        checks.put(
                "protocol.path-traversal",
                "A .. segment in the path after percent-decoding (/../, /%2e%2e/, ..%2f, twice-encoded %252e)");
        checks.put(
                "protocol.invalid-encoding",
                "%-escapes in the path or query that decode to an overlong UTF-8 form of an ASCII character (%c0%ae"
                        + " for .)");
        checks.put("protocol.method", "A method outside waf.allowed-methods");
        checks.put(
                "protocol.body-on-get",
                "A GET or HEAD request with a body (Content-Length above 0, or Transfer-Encoding)");
        checks.put("protocol.transfer-encoding", "A Transfer-Encoding other than chunked (a request smuggling vector)");
        return Collections.unmodifiableMap(checks);
    }

    /** Every built-in rule's id: the protocol checks', then the signatures'. */
    public static List<String> ids() {
        List<String> ids = new ArrayList<>(PROTOCOL_CHECKS.keySet());
        for (WafRuleConfig rule : SIGNATURES) {
            ids.add(rule.id());
        }
        return List.copyOf(ids);
    }
}
