/**
 * The purge API: where operators remove content from every node. It owns the REST API, the
 * durable, sequence-numbered purge log it appends to (embedded in RocksDB, or on a NATS JetStream
 * stream shared by several replicas), and the follower with which edges and shields read that log
 * and apply each entry (docs/adr/0007-purge-log-delivery.md, docs/adr/0008-purge-log-on-jetstream.md).
 */
@NullMarked
package dev.strata.purge;

import org.jspecify.annotations.NullMarked;
