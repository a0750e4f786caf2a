package dev.strata.proxy.waf;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What the WAF made of a request: {@link #PASS}, or a refusal naming the rules that caused it.
 *
 * @param kind why: a denied network, a failed protocol check, or an anomaly score at the threshold
 * @param rules the ids of the rules that matched, in evaluation order (one for a network or a
 *     protocol check); empty for {@link #PASS}
 * @param score the anomaly score (0 unless {@code kind} is {@link Kind#ANOMALY})
 * @param threshold the threshold the score reached (0 unless {@code kind} is {@link Kind#ANOMALY})
 * @param enforced whether the request is refused; false in detect mode, where it is only logged and
 *     counted (a denied network is refused in both modes)
 */
public record WafVerdict(Kind kind, List<String> rules, int score, int threshold, boolean enforced) {
    /** Why a request is refused. */
    public enum Kind {
        /** Nothing to refuse. */
        PASS,
        /** The client's network is in {@code waf.deny}. */
        NETWORK,
        /** A protocol check failed. */
        PROTOCOL,
        /** The signature rules' scores reached the anomaly threshold. */
        ANOMALY
    }

    /** Let through. */
    public static final WafVerdict PASS = new WafVerdict(Kind.PASS, List.of(), 0, 0, false);

    public WafVerdict {
        requireNonNull(kind, "kind");
        rules = List.copyOf(rules);
    }

    /** Whether the WAF objected to the request (refused it, or would have in detect mode). */
    public boolean objected() {
        return kind != Kind.PASS;
    }

    /**
     * The short reason a client and the log read: the rules, and for an anomaly the score against the
     * threshold, e.g. {@code sqli.union-select, xss.script-tag; anomaly score 10 >= 5}.
     */
    public String reason() {
        String ids = String.join(", ", rules);
        return kind == Kind.ANOMALY ? ids + "; anomaly score " + score + " >= " + threshold : ids;
    }
}
