package dev.strata.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBudgetTest {
    private final Hosts.Ticker ticker = new Hosts.Ticker();

    private static int retries(RetryBudget budget, int attempts) {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (budget.tryRetry()) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void retriesAreAShareOfRequestsPlusAFloor() {
        RetryBudget budget = new RetryBudget(0.2, 1, ticker);
        for (int i = 0; i < 100; i++) {
            budget.request();
        }

        assertThat(retries(budget, 1000)).isEqualTo(20 + RetryBudget.WINDOW_SECONDS);
    }

    @Test
    void floorAloneLetsAQuietNodeFailOver() {
        RetryBudget budget = new RetryBudget(0.2, 10, ticker);

        assertThat(retries(budget, 1000)).isEqualTo(100);
    }

    @Test
    void spentBudgetComesBackAsTheWindowMoves() {
        RetryBudget budget = new RetryBudget(0, 1, ticker);
        assertThat(retries(budget, 100)).isEqualTo(10);

        ticker.advanceMillis(5_000);
        assertThat(retries(budget, 100)).isZero();

        ticker.advanceMillis(6_000); // the first second's retries left the window
        assertThat(retries(budget, 100)).isEqualTo(10);
    }

    @Test
    void zeroBudgetNeverRetries() {
        RetryBudget budget = new RetryBudget(0, 0, ticker);
        budget.request();

        assertThat(budget.tryRetry()).isFalse();
    }
}
