package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import dev.strata.cache.key.CacheKey;
import dev.strata.config.Durations;
import dev.strata.config.HealthCheckConfig;
import dev.strata.config.OutlierDetectionConfig;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A health-checked set of upstream hosts (a site's origins, an edge's shields): its {@link
 * Balancer}, the hosts' {@link HealthState}, and the rules that change it.
 *
 * <ul>
 *   <li><b>Active checks</b> ({@link HealthChecker}): {@code fall} failed checks in a row mark a
 *       host {@linkplain HealthState.Status#DOWN down}, {@code rise} passed checks in a row mark it
 *       up again.
 *   <li><b>Outlier detection</b>, fed by {@link UpstreamClient} through {@link Upstream.Attempt}:
 *       {@code consecutive-failures} failed requests in a row (no connection, a timeout, a 5xx)
 *       {@linkplain HealthState.Status#EJECTED eject} a host for {@code base-ejection × 2^n}, at
 *       most {@code max-ejection}, where {@code n} counts its ejections in a row; a host that stayed
 *       in for longer than {@code max-ejection} since its last ejection ended starts again at {@code
 *       n = 0}. At most {@code max-ejected-percent} of the hosts (at least one) are ejected at once,
 *       so a pool that fails wholesale keeps most of its hosts rather than leaving nothing to
 *       balance over (Envoy's outlier detection, with an exponential backoff).
 *   <li><b>Slow start</b>: a host that comes back gets a growing share of its weight, from 10% to
 *       100% over {@code slow-start} ({@link Upstream#effectiveWeight()}).
 * </ul>
 *
 * <p>Balancers order hosts that are down or ejected after the others, so a request still has
 * somewhere to go when all are. Every change of state is logged once, with its reason. Thread-safe:
 * state changes are serialized on the pool; reading the state is lock-free.
 */
public final class UpstreamPool {
    private static final Logger log = LoggerFactory.getLogger(UpstreamPool.class);

    private final String name;
    private final Balancer balancer;
    private final HealthCheckConfig healthCheck;
    private final OutlierDetectionConfig outlierDetection;
    private final Duration slowStart;
    private volatile @Nullable ScheduledExecutorService scheduler;

    private UpstreamPool(
            String name,
            Balancer balancer,
            HealthCheckConfig healthCheck,
            OutlierDetectionConfig outlierDetection,
            Duration slowStart,
            Clock clock) {
        this.name = requireNonNull(name, "name");
        this.balancer = requireNonNull(balancer, "balancer");
        this.healthCheck = requireNonNull(healthCheck, "healthCheck");
        this.outlierDetection = requireNonNull(outlierDetection, "outlierDetection");
        this.slowStart = requireNonNull(slowStart, "slowStart");
        for (Upstream upstream : balancer.upstreams()) {
            upstream.attach(this, clock, slowStart.toNanos());
        }
    }

    /**
     * A pool over {@code upstreams}.
     *
     * @param name what logs call it, e.g. {@code site static} or {@code shields}
     * @param balancer one of {@link Balancers#NAMES}
     * @param upstreams the hosts, at least one, each in no other pool
     * @param clock the clock of {@link HealthState#since()}
     * @throws IllegalArgumentException when the balancer is unknown or there are no hosts
     * @throws IllegalStateException when a host already belongs to another pool
     */
    public static UpstreamPool of(
            String name,
            String balancer,
            List<Upstream> upstreams,
            HealthCheckConfig healthCheck,
            OutlierDetectionConfig outlierDetection,
            Duration slowStart,
            Clock clock) {
        return new UpstreamPool(
                name, Balancers.of(balancer, upstreams), healthCheck, outlierDetection, slowStart, clock);
    }

    /** What logs call this pool. */
    public String name() {
        return name;
    }

    /** How requests pick among the hosts. */
    public Balancer balancer() {
        return balancer;
    }

    /**
     * The hosts, as configured; each carries its {@link Upstream#health()}, {@link
     * Upstream#ejections()}, {@link Upstream#checksFailed()}, {@link Upstream#inFlight()} and
     * {@link Upstream#effectiveWeight()}.
     */
    public List<Upstream> upstreams() {
        return balancer.upstreams();
    }

    /** The active health checks of the hosts. */
    public HealthCheckConfig healthCheck() {
        return healthCheck;
    }

    /** Every host's state, in configured order. */
    public List<HealthState> health() {
        return upstreams().stream().map(Upstream::health).toList();
    }

    /** Ejections of all hosts so far. */
    public long ejections() {
        return upstreams().stream().mapToLong(Upstream::ejections).sum();
    }

    /**
     * Every host once, in the order one request tries them ({@link Balancer#order}).
     *
     * @param client the client's address, or null for a request of the node's own
     */
    public List<Upstream> order(CacheKey key, @Nullable InetAddress client) {
        return balancer.order(key, client);
    }

    /** Lets ejections end on {@code scheduler}; before, an ended ejection only reads as available. */
    void schedule(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        reinstateExpired();
    }

    /** A request to {@code host} failed, the {@code failures}th in a row. Any thread. */
    void failed(Upstream host, int failures, String detail) {
        int threshold = outlierDetection.consecutiveFailures();
        if (threshold == 0 || failures < threshold) {
            return;
        }
        long backoffNanos;
        synchronized (this) {
            long now = host.now();
            reinstateIfEnded(host, now);
            if (host.health().status() != HealthState.Status.UP) {
                return; // already out: down by checks, or ejected by a concurrent failure
            }
            if (ejectedNow(now) >= maxEjected()) {
                return;
            }
            if (host.reinstatedOnce
                    && now - host.lastReinstatedNanos
                            > outlierDetection.maxEjection().toNanos()) {
                host.ejectionStreak = 0;
            }
            backoffNanos =
                    backoffNanos(outlierDetection.baseEjection(), outlierDetection.maxEjection(), host.ejectionStreak);
            host.ejectionStreak++;
            String reason = failures + " consecutive failures, the last: " + detail;
            host.eject(now + backoffNanos, reason);
            log.warn(
                    "{}: {} ejected for {} ({})",
                    name,
                    host.uri(),
                    Durations.format(Duration.ofNanos(backoffNanos)),
                    reason);
        }
        ScheduledExecutorService timer = scheduler;
        if (timer != null) {
            try {
                timer.schedule(this::reinstateExpired, backoffNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // Shutting down: the ejection still ends when its time is up (isAvailable).
            }
        }
    }

    /**
     * How long the ejection after {@code streak} earlier ones in a row lasts: {@code base ×
     * 2^streak}, at most {@code max}, in nanoseconds.
     */
    static long backoffNanos(Duration base, Duration max, int streak) {
        long cap = max.toNanos();
        long backoff = base.toNanos();
        for (int i = 0; i < streak && backoff < cap; i++) {
            backoff = backoff > cap / 2 ? cap : backoff * 2;
        }
        return Math.min(backoff, cap);
    }

    /** The most hosts ejected at once: {@code max-ejected-percent} of them, at least one (0 at 0%). */
    int maxEjected() {
        int percent = outlierDetection.maxEjectedPercent();
        return percent == 0 ? 0 : Math.max(1, upstreams().size() * percent / 100);
    }

    private int ejectedNow(long now) {
        int ejected = 0;
        for (Upstream upstream : upstreams()) {
            if (upstream.health().status() == HealthState.Status.EJECTED && now - upstream.ejectedUntilNanos() < 0) {
                ejected++;
            }
        }
        return ejected;
    }

    /** Records the end of every ejection whose time is up. The scheduler calls it; tests may too. */
    synchronized void reinstateExpired() {
        for (Upstream upstream : upstreams()) {
            reinstateIfEnded(upstream, upstream.now());
        }
    }

    private void reinstateIfEnded(Upstream host, long now) {
        if (host.health().status() != HealthState.Status.EJECTED || now - host.ejectedUntilNanos() < 0) {
            return;
        }
        String reason = "ejection ended";
        host.reinstate(reason);
        host.lastReinstatedNanos = host.ejectedUntilNanos();
        host.reinstatedOnce = true;
        log.info("{}: {} up again ({}{})", name, host.uri(), reason, slowStartNote());
    }

    /** The outcome of one active check of {@code host}. Any thread. */
    synchronized void checked(Upstream host, boolean passed, String detail) {
        if (passed) {
            host.checkFailStreak = 0;
            host.checkPassStreak++;
            if (host.health().status() == HealthState.Status.DOWN && host.checkPassStreak >= healthCheck.rise()) {
                String reason = host.checkPassStreak + " health checks passed";
                host.transition(HealthState.Status.UP, reason);
                log.info("{}: {} up ({}{})", name, host.uri(), reason, slowStartNote());
            }
            return;
        }
        host.countFailedCheck();
        host.checkPassStreak = 0;
        host.checkFailStreak++;
        if (host.health().status() != HealthState.Status.DOWN && host.checkFailStreak >= healthCheck.fall()) {
            String reason = host.checkFailStreak + " health checks failed: " + detail;
            host.transition(HealthState.Status.DOWN, reason);
            log.warn("{}: {} down ({})", name, host.uri(), reason);
        }
    }

    private String slowStartNote() {
        return slowStart.isZero() ? "" : "; slow start " + Durations.format(slowStart);
    }

    @Override
    public String toString() {
        return name + " " + balancer;
    }
}
