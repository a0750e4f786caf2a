package dev.strata.proxy.ratelimit;

import static dev.strata.proxy.waf.TestRequests.request;
import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.config.RateLimitConfig;
import dev.strata.config.RateLimitRuleConfig;
import dev.strata.proxy.MutableClock;
import io.undertow.server.HttpServerExchange;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Token buckets on a clock moved by hand: bursts, refill, {@code Retry-After}, keys, rules that
 * apply together, tokens given back, and the bound on buckets.
 */
class RateLimiterTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));

    private static InetAddress address(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    private RateLimiter limiter(double rate, int burst, RateLimitRuleConfig... rules) {
        return RateLimiter.of(new RateLimitConfig(true, rate, burst, 1000, List.of(rules)), clock);
    }

    private static RateLimiter.Rejection refused(RateLimiter limiter, HttpServerExchange request, InetAddress client) {
        RateLimiter.Rejection rejection = limiter.take(request, client);
        assertThat(rejection).as("refused").isNotNull();
        return requireNonNull(rejection);
    }

    private static int allowed(RateLimiter limiter, InetAddress client, int attempts, String... headers)
            throws Exception {
        int allowed = 0;
        for (int i = 0; i < attempts; i++) {
            if (limiter.take(request("GET", "/x", headers), client) == null) {
                allowed++;
            }
        }
        return allowed;
    }

    @Test
    void aBurstPassesThenTheRateWithARetryAfterFromTheDeficit() throws Exception {
        RateLimiter limiter = limiter(2, 5);
        InetAddress client = address("198.51.100.1");

        assertThat(allowed(limiter, client, 5)).isEqualTo(5);
        RateLimiter.Rejection refused = refused(limiter, request("GET", "/x"), client);
        assertThat(refused.limit()).isEqualTo("default");
        assertThat(refused.retryAfterSeconds()).as("half a second, rounded up").isEqualTo(1);
        assertThat(refused.reason()).isEqualTo("rate limit \"default\": 2 per second, bursts of 5, per client");

        clock.advance(Duration.ofMillis(500));
        assertThat(allowed(limiter, client, 3)).as("one token per 500 ms").isEqualTo(1);
        clock.advance(Duration.ofSeconds(10));
        assertThat(allowed(limiter, client, 10))
                .as("full again, never more than the burst")
                .isEqualTo(5);
    }

    @Test
    void retryAfterCountsWholeSecondsOfTheDeficit() throws Exception {
        RateLimiter limiter = limiter(0.1, 2); // a token every 10 s
        InetAddress client = address("198.51.100.2");
        assertThat(allowed(limiter, client, 2)).isEqualTo(2);

        assertThat(refused(limiter, request("GET", "/x"), client).retryAfterSeconds())
                .isEqualTo(10);
        clock.advance(Duration.ofMillis(3_500));
        assertThat(refused(limiter, request("GET", "/x"), client).retryAfterSeconds())
                .isEqualTo(7);
        clock.advance(Duration.ofMillis(6_500));
        assertThat(limiter.take(request("GET", "/x"), client)).isNull();
        assertThat(RateLimiter.retryAfterSeconds(1)).isEqualTo(1);
        assertThat(RateLimiter.retryAfterSeconds(TimeUnit.SECONDS.toNanos(2))).isEqualTo(2);
        assertThat(RateLimiter.retryAfterSeconds(TimeUnit.SECONDS.toNanos(2) + 1))
                .isEqualTo(3);
    }

    @Test
    void eachClientHasItsOwnBucket() throws Exception {
        RateLimiter limiter = limiter(1, 2);

        assertThat(allowed(limiter, address("198.51.100.1"), 5)).isEqualTo(2);
        assertThat(allowed(limiter, address("198.51.100.2"), 5)).isEqualTo(2);
        assertThat(allowed(limiter, address("2001:db8::1"), 5)).isEqualTo(2);
    }

    @Test
    void headerKeysShareABucketPerValueAndFallBackToTheClient() throws Exception {
        RateLimiter limiter =
                limiter(1000, 1000, new RateLimitRuleConfig("api-keys", List.of("*"), "/", "header:X-Api-Key", 1, 3));
        InetAddress one = address("198.51.100.1");
        InetAddress two = address("198.51.100.2");

        assertThat(allowed(limiter, one, 2, "X-Api-Key", "k1")).isEqualTo(2);
        assertThat(allowed(limiter, two, 2, "X-Api-Key", "k1"))
                .as("same key, other client")
                .isEqualTo(1);
        assertThat(refused(limiter, request("GET", "/x", "X-Api-Key", "k1"), two)
                        .limit())
                .isEqualTo("api-keys");
        assertThat(allowed(limiter, two, 5, "X-Api-Key", "k2")).isEqualTo(3);
        assertThat(allowed(limiter, one, 5))
                .as("no key: the client's own bucket")
                .isEqualTo(3);
    }

    @Test
    void aRouteKeyIsOneBucketForEveryoneMatchingItsHostAndPath() throws Exception {
        RateLimiter limiter = limiter(
                1000, 1000, new RateLimitRuleConfig("search", List.of("*.example.com"), "/search", "route", 1, 4));

        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            if (limiter.take(request("GET", "/search?q=" + i), address("198.51.100." + i)) == null) {
                allowed++;
            }
        }
        assertThat(allowed).isEqualTo(4);
        assertThat(limiter.take(request("GET", "/other"), address("198.51.100.1")))
                .isNull();
        assertThat(limiter.take(request("GET", "/search", "Host", "example.org"), address("198.51.100.1")))
                .as("another host")
                .isNull();
        assertThat(limiter.bucketCounts()).containsEntry("search", 1L);
    }

    @Test
    void aRefusedRequestTakesNoTokenFromTheOtherLimits() throws Exception {
        RateLimiter limiter =
                limiter(1, 3, new RateLimitRuleConfig("strict", List.of("*"), "/strict/", "client", 0.001, 1));
        InetAddress client = address("198.51.100.1");

        assertThat(limiter.take(request("GET", "/strict/a"), client)).isNull();
        for (int i = 0; i < 5; i++) {
            assertThat(refused(limiter, request("GET", "/strict/a"), client).limit())
                    .isEqualTo("strict");
        }
        assertThat(allowed(limiter, client, 5))
                .as("the default bucket kept its two tokens")
                .isEqualTo(2);
    }

    @Test
    void aFloodOfKeysKeepsTheBucketsBounded() throws Exception {
        RateLimiter limiter = RateLimiter.of(
                new RateLimitConfig(
                        true,
                        1000,
                        1000,
                        50,
                        List.of(new RateLimitRuleConfig("keys", List.of("*"), "/", "header:X-Key", 1, 1))),
                clock);

        for (int i = 0; i < 2000; i++) {
            limiter.take(request("GET", "/", "X-Key", "key-" + i), address("198.51.100.1"));
        }

        assertThat(limiter.bucketCounts().get("keys")).isBetween(1L, 50L);
        clock.advance(Duration.ofHours(1));
        assertThat(limiter.bucketCounts().get("keys")).as("idle buckets expire").isZero();
    }

    @Test
    void concurrentTakersNeverGetMoreThanTheBurst() throws Exception {
        RateLimiter limiter = limiter(0.001, 100);
        InetAddress client = address("198.51.100.1");
        AtomicInteger allowed = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Thread[] takers = new Thread[8];
        for (int t = 0; t < takers.length; t++) {
            takers[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < 100; i++) {
                    allowed.addAndGet(limiter.take(request("GET", "/"), client) == null ? 1 : 0);
                }
            });
            takers[t].start();
        }
        start.countDown();
        for (Thread taker : takers) {
            taker.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertThat(allowed).as("8 threads, 800 attempts at once").hasValue(100);
    }

    @Test
    void aReloadKeepsTheBucketsOnlyWhenTheLimitsStayed() throws Exception {
        RateLimiter running = limiter(1, 1);
        InetAddress client = address("198.51.100.1");
        assertThat(running.take(request("GET", "/"), client)).isNull();

        assertThat(limiter(1, 1).keeping(running)).isSameAs(running);
        RateLimiter changed = limiter(1, 2).keeping(running);
        assertThat(changed).isNotSameAs(running);
        assertThat(allowed(changed, client, 3)).isEqualTo(2);
        assertThat(RateLimiter.of(RateLimitConfig.defaults(), clock)).isSameAs(RateLimiter.OFF);
        assertThat(RateLimiter.OFF.enabled()).isFalse();
    }
}
