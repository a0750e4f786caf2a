package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The web application firewall of an edge, in front of rate limits, routing and the cache. A
 * request from a network in {@link #allow} skips every rule; one from a network in {@link #deny} is
 * refused; otherwise a failed protocol check refuses it, and signature rules add up an anomaly score
 * that refuses it once it reaches {@link #anomalyThreshold} (OWASP CRS's model). Refused means 403,
 * or in {@code detect} mode only logged and counted.
 *
 * @param enabled whether requests are checked at all
 * @param mode {@code block} (refuse with 403) or {@code detect} (log and count what would have been
 *     refused, refuse nothing: ModSecurity's DetectionOnly); the {@link #deny} list blocks in both
 * @param allow client networks (CIDR, e.g. {@code 10.0.0.0/8}) whose requests skip every rule
 * @param deny client networks always answered 403; where a client is in both lists, the longer
 *     prefix decides, and {@code deny} on a tie
 * @param allowedMethods the methods the {@code protocol.method} check lets through
 * @param anomalyThreshold the anomaly score at which a request is refused
 * @param disabledRules ids of built-in or operator rules to skip
 * @param rules the operator's own signature rules, evaluated after the built-in ones
 */
public record WafConfig(
        boolean enabled,
        String mode,
        List<String> allow,
        List<String> deny,
        List<String> allowedMethods,
        int anomalyThreshold,
        List<String> disabledRules,
        List<WafRuleConfig> rules) {
    /** The modes: {@code block} refuses, {@code detect} only logs and counts. */
    public static final List<String> MODES = List.of("block", "detect");

    /** The methods allowed when nothing is configured: every method a CDN passes on but TRACE and CONNECT. */
    public static final List<String> DEFAULT_ALLOWED_METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    /** The default threshold: CRS's, one critical match. */
    public static final int DEFAULT_ANOMALY_THRESHOLD = 5;

    public WafConfig {
        requireNonNull(mode, "mode");
        allow = List.copyOf(allow);
        deny = List.copyOf(deny);
        allowedMethods = List.copyOf(allowedMethods);
        disabledRules = List.copyOf(disabledRules);
        rules = List.copyOf(rules);
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException(
                    "mode: " + mode + " (expected: one of " + String.join(", ", MODES) + ")");
        }
        if (anomalyThreshold < 1) {
            throw new IllegalArgumentException("anomalyThreshold: " + anomalyThreshold + " (expected: >= 1)");
        }
        String problem = ruleIdProblem(rules);
        if (problem != null) {
            throw new IllegalArgumentException("rules: " + problem);
        }
        for (String id : disabledRules) {
            if (!isRuleId(id, rules)) {
                throw new IllegalArgumentException("disabledRules: " + id + " " + UNKNOWN_RULE);
            }
        }
    }

    /** Enabled or not, in block mode, with the given networks and everything else at its default. */
    public WafConfig(boolean enabled, List<String> allow, List<String> deny) {
        this(enabled, "block", allow, deny, DEFAULT_ALLOWED_METHODS, DEFAULT_ANOMALY_THRESHOLD, List.of(), List.of());
    }

    /** Off, in block mode, with no networks, the default methods and threshold, and no rules of its own. */
    public static WafConfig defaults() {
        return new WafConfig(false, List.of(), List.of());
    }

    /** Whether requests are only logged and counted, never refused by a rule. */
    public boolean detectOnly() {
        return mode.equals("detect");
    }

    /** The detail of an error for an unknown id in {@code disabled-rules}. */
    static final String UNKNOWN_RULE = "is not a rule id (expected: a built-in rule's id or one of waf.rules[].id)";

    /** Whether {@code id} names a built-in rule or one of {@code rules}. */
    static boolean isRuleId(String id, List<WafRuleConfig> rules) {
        return BuiltInWafRules.ids().contains(id)
                || rules.stream().anyMatch(rule -> rule.id().equals(id));
    }

    /** Why the ids of {@code rules} are not usable (one repeated, or a built-in rule's), or null. */
    static @Nullable String ruleIdProblem(List<WafRuleConfig> rules) {
        Set<String> seen = new HashSet<>();
        List<String> builtIn = BuiltInWafRules.ids();
        for (WafRuleConfig rule : rules) {
            if (builtIn.contains(rule.id())) {
                return rule.id() + " is a built-in rule's id (expected: an id of its own)";
            }
            if (!seen.add(rule.id())) {
                return rule.id() + " is the id of two rules (expected: a unique id)";
            }
        }
        return null;
    }
}
