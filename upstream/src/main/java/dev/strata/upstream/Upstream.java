package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One next hop (a shield or an origin server) and the live state balancers read: its weight,
 * whether it is available, the requests in flight to it and a peak-EWMA estimate of its latency.
 *
 * <p>Whoever sends a request calls {@link #begin()} before and {@link Attempt#end} after, once per
 * host tried; that is what {@code least-connections}, {@code least-time} and the bounded load of
 * {@code consistent-hash} see. Its {@link UpstreamPool} marks it down when active health checks
 * fail and ejects it when requests fail in a row ({@link #health()}); balancers then order this
 * host after every available one, so failover still has somewhere to go when all are down. A host
 * that comes back ramps its {@link #effectiveWeight()} up over the pool's slow-start window.
 *
 * <p>Latency is a peak-sensitive exponentially weighted moving average, as in Finagle's and
 * linkerd's {@code PeakEwma}: a sample above the estimate replaces it at once (one slow response
 * makes the host look slow now), a lower one is blended in with a weight that grows with the time
 * since the previous sample, and the estimate decays towards zero while nobody samples it, so a
 * host that was shunned for being slow is tried again after a while and can earn its traffic back.
 * The decay time is {@value #DECAY_SECONDS} seconds, Finagle's default. Unevenly spaced samples are
 * weighted by elapsed time (Eckner, "Algorithms for Unevenly Spaced Time Series", 2012).
 *
 * <p>Identity matters: two instances for one URI count their requests apart, so a pool shares one
 * instance per host. Thread-safe: only ending a request takes a lock, for this host.
 */
public final class Upstream {
    static final long DECAY_SECONDS = 10;
    private static final double DECAY_NANOS = TimeUnit.SECONDS.toNanos(DECAY_SECONDS);

    /**
     * What a failed request counts as, at least, in nanoseconds: a host that refuses connections
     * answers fast, and must not look fast for it.
     */
    static final long FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The cost of a host without latency history that already has requests in flight: larger than
     * any real latency, so new hosts get one probe at a time until they have answered (Finagle).
     */
    private static final double PENALTY = (double) (Long.MAX_VALUE >> 16);

    private final URI uri;
    private final int weight;
    private final LongSupplier ticker;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The least share of its weight a host in slow start gets, as Envoy's {@code min_weight_percent}. */
    static final double SLOW_START_FLOOR = 0.1;

    private volatile Ewma latency;
    private volatile HealthState health = new HealthState(HealthState.Status.UP, Instant.EPOCH, "configured");
    /** Ticker reading at which an ejection ends; meaningful while {@link #health} is EJECTED. */
    private volatile long ejectedUntilNanos;
    /** Ticker reading at which the host last came back, for slow start; valid when {@link #warming}. */
    private volatile long cameBackNanos;

    private volatile boolean warming;
    private volatile long slowStartNanos;
    private volatile Clock clock = Clock.systemUTC();
    private volatile @Nullable UpstreamPool pool;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private final AtomicLong ejections = new AtomicLong();
    private final AtomicLong checksFailed = new AtomicLong();
    private final LongAdder attempts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder latencyTotalNanos = new LongAdder();

    // Guarded by the pool's lock.
    int checkFailStreak;
    int checkPassStreak;
    int ejectionStreak;
    long lastReinstatedNanos;
    boolean reinstatedOnce;

    private Upstream(URI uri, int weight, LongSupplier ticker) {
        this.uri = requireNonNull(uri, "uri");
        this.ticker = requireNonNull(ticker, "ticker");
        if (weight < 1) {
            throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
        }
        this.weight = weight;
        this.latency = new Ewma(0, ticker.getAsLong());
    }

    /** A host of weight 1 timed by {@link System#nanoTime()}. */
    public static Upstream of(URI uri) {
        return new Upstream(uri, 1, System::nanoTime);
    }

    /**
     * A host of the given weight timed by {@link System#nanoTime()}.
     *
     * @param weight its share of requests relative to the other hosts of its balancer, at least 1
     */
    public static Upstream of(URI uri, int weight) {
        return new Upstream(uri, weight, System::nanoTime);
    }

    /**
     * A host of the given weight.
     *
     * @param weight its share of requests relative to the other hosts of its balancer, at least 1
     * @param ticker monotonic nanoseconds, such as {@code System::nanoTime}; tests drive it by hand
     */
    public static Upstream of(URI uri, int weight, LongSupplier ticker) {
        return new Upstream(uri, weight, ticker);
    }

    /** One host per URI, each of weight 1 and timed by {@link System#nanoTime()}. */
    public static List<Upstream> of(List<URI> uris) {
        return uris.stream().map(Upstream::of).toList();
    }

    /** The URIs of {@code upstreams}, in the same order. */
    public static List<URI> uris(List<Upstream> upstreams) {
        return upstreams.stream().map(Upstream::uri).toList();
    }

    /** Where requests to this host go: scheme, authority and an optional base path. */
    public URI uri() {
        return uri;
    }

    /** This host's share of requests relative to the other hosts of its balancer; at least 1. */
    public int weight() {
        return weight;
    }

    /** Requests begun and not yet ended. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Whether balancers order this host among the available ones: it is up, or its ejection has
     * ended (the pool's scheduler records that shortly after).
     */
    public boolean isAvailable() {
        HealthState state = health;
        return state.status() == HealthState.Status.UP
                || (state.status() == HealthState.Status.EJECTED && ticker.getAsLong() - ejectedUntilNanos >= 0);
    }

    /** Where this host stands: up, down or ejected, since when and why. */
    public HealthState health() {
        return health;
    }

    /** How many times outlier detection ejected this host. */
    public long ejections() {
        return ejections.get();
    }

    /** How many active health checks of this host failed. */
    public long checksFailed() {
        return checksFailed.get();
    }

    /** Requests to this host that ended (failover attempts each count), not abandoned ones. */
    public long attempts() {
        return attempts.sum();
    }

    /** Of {@link #attempts()}, those that failed (no connection, a timeout or a 5xx). */
    public long failures() {
        return failures.sum();
    }

    /**
     * The latencies of {@link #attempts()} added up, in nanoseconds, as measured (a failure's
     * latency is not raised to the one second balancers count it as).
     */
    public long latencyTotalNanos() {
        return latencyTotalNanos.sum();
    }

    /** Requests that failed in a row (no connection, a timeout or a 5xx), up to now. */
    public int consecutiveFailures() {
        return consecutiveFailures.get();
    }

    /** Lets balancers order this host among the available ones again, as a health checker would. */
    public void markUp() {
        transition(HealthState.Status.UP, "marked up");
    }

    /** Makes balancers order this host after every available one, as a health checker would. */
    public void markDown() {
        transition(HealthState.Status.DOWN, "marked down");
    }

    /**
     * The weight balancers use now: {@link #weight()}, or while the host is in slow start a share
     * of it growing linearly from 10% to 100% over the pool's slow-start window since it came back.
     */
    public double effectiveWeight() {
        return weight * slowStartFactor();
    }

    /** 1, or the share of its weight a host in slow start gets now, from 0.1 to 1. */
    double slowStartFactor() {
        if (!warming) {
            return 1;
        }
        long window = slowStartNanos;
        long elapsed = ticker.getAsLong() - cameBackNanos;
        if (window <= 0 || elapsed >= window) {
            warming = false;
            return 1;
        }
        return Math.max(SLOW_START_FLOOR, Math.max(0, elapsed) / (double) window);
    }

    /** Joins {@code pool}, which sets its clock and slow start and receives its outcomes. */
    void attach(UpstreamPool pool, Clock clock, long slowStartNanos) {
        if (this.pool != null && this.pool != pool) {
            throw new IllegalStateException(uri + " already belongs to another pool");
        }
        this.pool = pool;
        this.clock = clock;
        this.slowStartNanos = slowStartNanos;
        this.health = new HealthState(HealthState.Status.UP, clock.instant(), "configured");
    }

    long now() {
        return ticker.getAsLong();
    }

    /** Sets the state; returns the previous one. Callers serialize (the pool's lock). */
    HealthState transition(HealthState.Status status, String reason) {
        HealthState previous = health;
        if (status == HealthState.Status.UP && previous.status() != HealthState.Status.UP) {
            startSlowStart(ticker.getAsLong());
        }
        health = new HealthState(status, clock.instant(), reason);
        return previous;
    }

    /** Ends an ejection; its slow start began when the ejection's time was up. Callers serialize. */
    void reinstate(String reason) {
        health = new HealthState(HealthState.Status.UP, clock.instant(), reason);
    }

    /** Ejects until {@code untilNanos}; slow start counts from then. Callers serialize. */
    void eject(long untilNanos, String reason) {
        ejectedUntilNanos = untilNanos;
        ejections.incrementAndGet();
        consecutiveFailures.set(0);
        health = new HealthState(HealthState.Status.EJECTED, clock.instant(), reason);
        startSlowStart(untilNanos);
    }

    private void startSlowStart(long fromNanos) {
        cameBackNanos = fromNanos;
        warming = slowStartNanos > 0;
    }

    /** The ticker reading at which the current ejection ends. */
    long ejectedUntilNanos() {
        return ejectedUntilNanos;
    }

    void countFailedCheck() {
        checksFailed.incrementAndGet();
    }

    private void outcome(boolean ok, String detail) {
        if (ok) {
            if (consecutiveFailures.get() != 0) {
                consecutiveFailures.set(0);
            }
            return;
        }
        int failures = consecutiveFailures.incrementAndGet();
        UpstreamPool owner = pool;
        if (owner != null) {
            owner.failed(this, failures, detail);
        }
    }

    /**
     * The peak-EWMA latency estimate, decayed to now, in nanoseconds: 0 before the first request
     * ended.
     */
    public long latencyNanos() {
        return Math.round(latency.decayedTo(ticker.getAsLong()));
    }

    /**
     * Counts a request to this host as in flight until the returned attempt {@linkplain Attempt#end
     * ends}. Call it once per host tried, failover included.
     */
    public Attempt begin() {
        inFlight.incrementAndGet();
        return new Attempt(ticker.getAsLong());
    }

    /**
     * What {@code least-time} minimizes: the expected latency of one more request, that is the
     * latency estimate times the requests in flight plus this one, divided by the weight.
     */
    double cost() {
        int pending = inFlight.get();
        double estimate = latency.decayedTo(ticker.getAsLong());
        double cost = estimate == 0 && pending > 0 ? PENALTY + pending : estimate * (pending + 1);
        return cost / effectiveWeight();
    }

    private synchronized void observe(long latencyNanos) {
        latency = latency.observe(latencyNanos, ticker.getAsLong());
    }

    @Override
    public String toString() {
        return weight == 1 ? uri.toString() : uri + " weight " + weight;
    }

    /**
     * A request to this host, begun and not yet ended. Ending it more than once counts once.
     * Thread-safe.
     */
    public final class Attempt {
        private final long startNanos;
        private final AtomicBoolean ended = new AtomicBoolean();

        private Attempt(long startNanos) {
            this.startNanos = startNanos;
        }

        /**
         * Ends the request, its latency taken as the time since {@link #begin()}.
         *
         * @param ok false when it failed (refused, reset, timed out): it counts as taking at least
         *     one second, so a host that fails fast does not attract traffic
         */
        public void end(boolean ok) {
            end(Math.max(0, ticker.getAsLong() - startNanos), ok);
        }

        /**
         * Ends the request with a latency the caller measured, for instance up to the response head
         * when the body is streamed to a slow client and says nothing about the host.
         *
         * @param latencyNanos how long the host took, in nanoseconds, at least 0
         * @param ok false when it failed (refused, reset, timed out): it counts as taking at least
         *     one second, so a host that fails fast does not attract traffic
         */
        public void end(long latencyNanos, boolean ok) {
            end(latencyNanos, ok, ok ? "ok" : "failed");
        }

        /**
         * Ends the request like {@link #end(long, boolean)} and tells the host's pool how it went,
         * for outlier detection.
         *
         * @param detail what happened, for the reason of an ejection: {@code "status 503"}, {@code
         *     "connection refused"}
         */
        public void end(long latencyNanos, boolean ok, String detail) {
            if (latencyNanos < 0) {
                throw new IllegalArgumentException("latencyNanos: " + latencyNanos + " (expected: >= 0)");
            }
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            inFlight.decrementAndGet();
            attempts.increment();
            latencyTotalNanos.add(latencyNanos);
            if (!ok) {
                failures.increment();
            }
            observe(ok ? latencyNanos : Math.max(latencyNanos, FAILURE_NANOS));
            outcome(ok, detail);
        }

        /** Ends the request without judging the host (the request itself was cancelled). */
        public void abandon() {
            if (ended.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        }

        /** Nanoseconds since {@link #begin()}. */
        public long elapsedNanos() {
            return Math.max(0, ticker.getAsLong() - startNanos);
        }

        @Override
        public String toString() {
            return "attempt to " + uri;
        }
    }

    /** The estimate in nanoseconds and the ticker reading it was last updated at. Immutable. */
    private record Ewma(double nanos, long stamp) {
        double decayedTo(long now) {
            return nanos * Math.exp(-Math.max(0, now - stamp) / DECAY_NANOS);
        }

        Ewma observe(long sample, long now) {
            double w = Math.exp(-Math.max(0, now - stamp) / DECAY_NANOS);
            double decayed = nanos * w;
            // A peak counts in full at once; a lower sample is blended in by the time it covers.
            double next = sample > decayed ? sample : decayed + sample * (1 - w);
            return new Ewma(next, Math.max(stamp, now));
        }
    }
}
