package dev.strata.proxy;

import dev.strata.proxy.waf.Waf;
import dev.strata.proxy.waf.WafVerdict;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * What an edge's WAF refused: {@code strata.waf.requests{action}}, requests refused ({@code block})
 * or, in detect mode, that would have been ({@code detect}); and {@code strata.waf.blocks{rule,
 * action}}, once per rule named in each. Rule ids come from the configuration (built-in and the
 * operator's), never from a request. Counters of the built-in rules exist from the start; a
 * reload's new rules get theirs when bound. Counting is a map lookup and a striped increment:
 * fine on an I/O thread. Thread-safe.
 */
final class WafMeters {
    static final String BLOCK = "block";
    static final String DETECT = "detect";

    private final MeterRegistry registry;
    private final Counter blocked;
    private final Counter detected;
    private final ConcurrentMap<String, Counter> blocks = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> detections = new ConcurrentHashMap<>();

    WafMeters(MeterRegistry registry) {
        this.registry = registry;
        this.blocked = requests(BLOCK);
        this.detected = requests(DETECT);
        for (String rule : Waf.builtInRuleIds()) {
            counter(rule, BLOCK);
        }
    }

    private Counter requests(String action) {
        return Counter.builder("strata.waf.requests")
                .description("Requests the WAF refused (block) or, in detect mode, would have refused (detect)")
                .tag("action", action)
                .register(registry);
    }

    /** Registers the counters of {@code waf}'s rules, in its mode: at start and after a reload. */
    void bind(Waf waf) {
        String action = waf.config().detectOnly() ? DETECT : BLOCK;
        for (String rule : waf.ruleIds()) {
            counter(rule, rule.equals(Waf.DENY_RULE) ? BLOCK : action);
        }
    }

    private Counter counter(String rule, String action) {
        ConcurrentMap<String, Counter> byRule = action.equals(BLOCK) ? blocks : detections;
        Counter known = byRule.get(rule);
        if (known != null) {
            return known; // no lambda made on the way
        }
        return byRule.computeIfAbsent(rule, id -> Counter.builder("strata.waf.blocks")
                .description("Requests the WAF refused, or would have in detect mode, by each rule that matched")
                .tag("rule", id)
                .tag("action", action)
                .register(registry));
    }

    /** Counts a verdict that objected to a request. */
    void count(WafVerdict verdict) {
        String action = verdict.enforced() ? BLOCK : DETECT;
        (verdict.enforced() ? blocked : detected).increment();
        List<String> rules = verdict.rules();
        for (int i = 0; i < rules.size(); i++) {
            counter(rules.get(i), action).increment();
        }
    }

    /** Requests refused and detected so far, by action. */
    Map<String, Long> requests() {
        return Map.of(BLOCK, (long) blocked.count(), DETECT, (long) detected.count());
    }

    /** Every rule's count so far that is not zero, by action then rule id. */
    Map<String, Map<String, Long>> blocks() {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        counts.put(BLOCK, nonZero(blocks));
        counts.put(DETECT, nonZero(detections));
        return counts;
    }

    private static Map<String, Long> nonZero(Map<String, Counter> counters) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counters.forEach((rule, counter) -> {
            if (counter.count() > 0) {
                counts.put(rule, (long) counter.count());
            }
        });
        return counts;
    }
}
