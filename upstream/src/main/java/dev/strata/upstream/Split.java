package dev.strata.upstream;

import java.util.List;

/**
 * A balancer's hosts, by index, split into the ones to balance over and the ones marked down. When
 * none is available all are balanced over, so a request still spreads over hosts that may be
 * back. Availability is read once per host, so a host marked down meanwhile lands on one side only.
 */
final class Split {
    private static final int[] NONE = new int[0];

    /** Indexes of the hosts to balance over, in configured order. */
    final int[] up;
    /** Indexes of the hosts marked down, in configured order; empty when {@link #up} holds all. */
    final int[] down;

    private Split(int[] up, int[] down) {
        this.up = up;
        this.down = down;
    }

    static Split of(List<Upstream> upstreams) {
        int size = upstreams.size();
        boolean[] available = new boolean[size];
        int count = 0;
        for (int i = 0; i < size; i++) {
            available[i] = upstreams.get(i).isAvailable();
            if (available[i]) {
                count++;
            }
        }
        if (count == 0 || count == size) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return new Split(all, NONE);
        }
        int[] up = new int[count];
        int[] down = new int[size - count];
        for (int i = 0, u = 0, d = 0; i < size; i++) {
            if (available[i]) {
                up[u++] = i;
            } else {
                down[d++] = i;
            }
        }
        return new Split(up, down);
    }

    /**
     * The hosts at {@code ranked}, a permutation of their indexes, the available ones first: both
     * sides keep the ranking.
     */
    static List<Upstream> availableFirst(List<Upstream> upstreams, int[] ranked) {
        boolean[] available = new boolean[ranked.length];
        int count = 0;
        for (int r = 0; r < ranked.length; r++) {
            available[r] = upstreams.get(ranked[r]).isAvailable();
            if (available[r]) {
                count++;
            }
        }
        Upstream[] ordered = new Upstream[ranked.length];
        for (int r = 0, first = 0, last = count; r < ranked.length; r++) {
            ordered[available[r] ? first++ : last++] = upstreams.get(ranked[r]);
        }
        return List.of(ordered);
    }

    /** The hosts at {@code upOrder}, a permutation of {@link #up}, then the ones marked down. */
    List<Upstream> then(List<Upstream> upstreams, int[] upOrder) {
        Upstream[] ordered = new Upstream[upOrder.length + down.length];
        for (int i = 0; i < upOrder.length; i++) {
            ordered[i] = upstreams.get(upOrder[i]);
        }
        for (int i = 0; i < down.length; i++) {
            ordered[upOrder.length + i] = upstreams.get(down[i]);
        }
        return List.of(ordered);
    }
}
