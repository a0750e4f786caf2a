package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One log line per rule per interval, on a clock moved by hand, counting what went unlogged. */
class RefusalLogTest {
    private final AtomicLong now = new AtomicLong(-5_000_000_000L); // nanoTime may be negative
    private final RefusalLog log = new RefusalLog("edge ams", now::get);

    private String line(String... rules) {
        return String.valueOf(log.line(List.of(rules), "WAF blocked", "GET /p from 192.0.2.1 (request r1)", "detail"));
    }

    @Test
    void aRuleLogsOncePerIntervalThenSaysHowManyWentUnlogged() {
        assertThat(line("sqli.union-select"))
                .isEqualTo("edge ams: WAF blocked GET /p from 192.0.2.1 (request r1): detail");
        for (int i = 0; i < 41; i++) {
            assertThat(log.line(List.of("sqli.union-select"), "WAF blocked", "r", "d"))
                    .isNull();
        }
        assertThat(line("xss.script-tag"))
                .as("another rule has its own interval")
                .startsWith("edge ams:");

        now.addAndGet(RefusalLog.INTERVAL.minus(Duration.ofMillis(1)).toNanos());
        assertThat(log.line(List.of("sqli.union-select"), "WAF blocked", "r", "d"))
                .isNull();
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(line("sqli.union-select"))
                .isEqualTo("edge ams: WAF blocked GET /p from 192.0.2.1 (request r1): detail (and 42 more by the same"
                        + " rules since their last line)");
    }

    @Test
    void aRefusalByRulesOfWhichOneIsDueIsLoggedOnce() {
        assertThat(line("a")).isNotEqualTo("null");
        assertThat(line("a", "b")).as("b is due").isNotEqualTo("null");
        assertThat(line("a", "b")).isEqualTo("null");
    }
}
