/**
 * JMH micro-benchmarks of the cache's hot paths: computing a cache key, a memory (L1) hit and a
 * disk (L2) hit. Run from {@code target/benchmarks.jar}; docs/benchmarks.md has the command and
 * the latest results.
 */
@NullMarked
package dev.strata.benchmarks;

import org.jspecify.annotations.NullMarked;
