package dev.strata.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A signature rule of the web application firewall: a regular expression looked for in parts of a
 * request, adding {@link #score} to the request's anomaly score when found (see {@link
 * WafConfig#anomalyThreshold()}). The built-in rules ({@link BuiltInWafRules#SIGNATURES}) and the
 * operator's ({@code waf.rules}) have this form.
 *
 * @param id a stable identifier, in logs, metrics, refusals and {@code waf.disabled-rules}
 * @param description what the rule catches, for operators
 * @param targets what it inspects, each one of {@link #TARGETS} or {@code header:NAME}; every value
 *     is inspected percent-decoded
 * @param pattern a {@link Pattern} (Java syntax; {@code (?i)} for case-insensitive), found anywhere
 *     in a target
 * @param score what a match adds to the request's anomaly score, at least 1
 */
public record WafRuleConfig(String id, String description, List<String> targets, String pattern, int score) {
    /**
     * What a rule can inspect besides {@code header:NAME}: the path (without the query), the query
     * ({@code +} read as a space), the method, the {@code Host} name, the {@code User-Agent}, and
     * every header value.
     */
    public static final List<String> TARGETS = List.of("path", "query", "method", "host", "user-agent", "headers");

    /** The prefix of a target naming one header, e.g. {@code header:cookie}. */
    public static final String HEADER_TARGET = "header:";

    /** The score of a rule that does not say: CRS's "critical", enough to block alone by default. */
    public static final int DEFAULT_SCORE = 5;

    public WafRuleConfig {
        requireNonNull(id, "id");
        requireNonNull(description, "description");
        targets = List.copyOf(targets);
        requireNonNull(pattern, "pattern");
        if (targets.isEmpty()) {
            throw new IllegalArgumentException(
                    "targets: [] (expected: at least one of " + String.join(", ", TARGETS) + " or header:NAME)");
        }
        for (String target : targets) {
            if (!isTarget(target)) {
                throw new IllegalArgumentException(
                        "targets: " + target + " (expected: one of " + String.join(", ", TARGETS) + " or header:NAME)");
            }
        }
        try {
            Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("pattern: " + pattern + " (expected: a regular expression)", e);
        }
        if (score < 1) {
            throw new IllegalArgumentException("score: " + score + " (expected: >= 1)");
        }
    }

    /** Whether {@code text} is one of {@link #TARGETS} or {@code header:} and a header name. */
    public static boolean isTarget(String text) {
        if (TARGETS.contains(text)) {
            return true;
        }
        return text.startsWith(HEADER_TARGET) && Scalars.isToken(text.substring(HEADER_TARGET.length()));
    }
}
