/**
 * The load generator of issue #5: open-loop (constant rate, latency from the intended send time)
 * and closed-loop runs over HTTP/1.1 keep-alive connections, the workloads they request, purge
 * storms timed to applied on every node (issue #6), an embedded test origin, and the text, JSON and
 * HTML reports.
 */
@NullMarked
package dev.strata.loadtest;

import org.jspecify.annotations.NullMarked;
