package dev.strata.benchmarks;

import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Which probe key a benchmark thread looks up next: each thread walks the probe array in order and
 * wraps around. Per thread, so it needs no synchronization. Public because JMH's generated code
 * instantiates it.
 */
@State(Scope.Thread)
public class KeyCursor {
    private int next;

    /** The next index below {@code bound}, cycling from 0. */
    int next(int bound) {
        int index = next;
        next = index + 1 == bound ? 0 : index + 1;
        return index;
    }
}
