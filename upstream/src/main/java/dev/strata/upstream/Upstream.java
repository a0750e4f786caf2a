package dev.strata.upstream;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * One next hop (a shield or an origin server) and the live state balancers read: its weight,
 * whether it is available, the requests in flight to it and a peak-EWMA estimate of its latency.
 *
 * <p>Whoever sends a request calls {@link #begin()} before and {@link Attempt#end} after, once per
 * host tried; that is what {@code least-connections}, {@code least-time} and the bounded load of
 * {@code consistent-hash} see. A health checker calls {@link #markDown()} and {@link #markUp()};
 * balancers then order this host after every available one, so failover still has somewhere to
 * go when all are down.
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
    private volatile Ewma latency;
    private volatile boolean available = true;

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

    /** False once a health checker {@linkplain #markDown() marked it down}, until marked up. */
    public boolean isAvailable() {
        return available;
    }

    /** Lets balancers order this host among the available ones again. */
    public void markUp() {
        available = true;
    }

    /** Makes balancers order this host after every available one. */
    public void markDown() {
        available = false;
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
        return cost / weight;
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
            if (latencyNanos < 0) {
                throw new IllegalArgumentException("latencyNanos: " + latencyNanos + " (expected: >= 0)");
            }
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            inFlight.decrementAndGet();
            observe(ok ? latencyNanos : Math.max(latencyNanos, FAILURE_NANOS));
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
