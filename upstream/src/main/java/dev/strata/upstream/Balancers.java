package dev.strata.upstream;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Creates a {@link Balancer} by the name a site's configuration gives it. */
public final class Balancers {
    /** Each request starts at the next host; weights are ignored. */
    public static final String ROUND_ROBIN = "round-robin";

    /** nginx's smooth weighted round robin. */
    public static final String WEIGHTED_ROUND_ROBIN = "weighted-round-robin";

    /** Fewest requests in flight per unit of weight first. */
    public static final String LEAST_CONNECTIONS = "least-connections";

    /** Power of two choices over peak-EWMA latency times requests in flight. */
    public static final String LEAST_TIME = "least-time";

    /** Rendezvous hashing of the client's address: a client keeps its host. */
    public static final String IP_HASH = "ip-hash";

    /** Rendezvous hashing of the cache key with bounded loads: a key keeps its host. */
    public static final String CONSISTENT_HASH = "consistent-hash";

    /** Every name {@link #of} accepts. */
    public static final List<String> NAMES =
            List.of(ROUND_ROBIN, WEIGHTED_ROUND_ROBIN, LEAST_CONNECTIONS, LEAST_TIME, IP_HASH, CONSISTENT_HASH);

    /**
     * How far above the average load {@value #CONSISTENT_HASH} lets a host go before it spills
     * requests to the next host in hash order.
     */
    public static final double DEFAULT_LOAD_FACTOR = 1.25;

    private Balancers() {}

    /**
     * The balancer called {@code name} over {@code upstreams}, with {@link #DEFAULT_LOAD_FACTOR}.
     *
     * @throws IllegalArgumentException when the name is none of {@link #NAMES} or there are no
     *     upstreams
     */
    public static Balancer of(String name, List<Upstream> upstreams) {
        return of(name, upstreams, DEFAULT_LOAD_FACTOR);
    }

    /**
     * The balancer called {@code name} over {@code upstreams}.
     *
     * @param upstreams the hosts, at least one; a pool shares one {@link Upstream} per host between
     *     its balancers, so that they see the same counts
     * @param loadFactor how far above the average in-flight count {@value #CONSISTENT_HASH} lets a
     *     host go, at least 1 ({@link Double#POSITIVE_INFINITY}: no bound); the others ignore it
     * @throws IllegalArgumentException when the name is none of {@link #NAMES}, there are no upstreams
     *     or the load factor is below 1
     */
    public static Balancer of(String name, List<Upstream> upstreams, double loadFactor) {
        return switch (name) {
            case ROUND_ROBIN -> new RoundRobinBalancer(upstreams);
            case WEIGHTED_ROUND_ROBIN -> new WeightedRoundRobinBalancer(upstreams);
            case LEAST_CONNECTIONS -> new LeastConnectionsBalancer(upstreams);
            case LEAST_TIME -> new LeastTimeBalancer(upstreams, ThreadLocalRandom::current);
            case IP_HASH -> new IpHashBalancer(upstreams);
            case CONSISTENT_HASH -> new RendezvousBalancer(upstreams, loadFactor);
            default -> throw new IllegalArgumentException(
                    "balancer: \"" + name + "\" (expected: one of " + String.join(", ", NAMES) + ")");
        };
    }

    /** An immutable copy of {@code upstreams}, checked to hold at least one. */
    static List<Upstream> checked(List<Upstream> upstreams) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("upstreams: [] (expected: at least one)");
        }
        return List.copyOf(upstreams);
    }
}
