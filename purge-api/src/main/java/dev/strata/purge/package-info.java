/**
 * The purge API: where operators remove content from every node. For now it starts and answers
 * its health check; the API and the purge log follow in issue #6.
 */
@NullMarked
package dev.strata.purge;

import org.jspecify.annotations.NullMarked;
