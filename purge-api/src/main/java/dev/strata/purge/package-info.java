/**
 * The purge API: where operators remove content from every node. It owns the REST API, the
 * durable, sequence-numbered purge log it appends to, and the follower with which edges and
 * shields read that log and apply each entry (docs/adr/0007-purge-log-delivery.md).
 */
@NullMarked
package dev.strata.purge;

import org.jspecify.annotations.NullMarked;
