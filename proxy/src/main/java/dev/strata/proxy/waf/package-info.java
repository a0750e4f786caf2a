/**
 * The edge's web application firewall: client network allow and deny lists, protocol checks and
 * signature rules scored into an anomaly score (OWASP CRS's model), compiled from {@code waf} in the
 * configuration into an immutable {@link dev.strata.proxy.waf.Waf} that judges one request at a
 * time on the I/O thread that parsed it.
 */
@NullMarked
package dev.strata.proxy.waf;

import org.jspecify.annotations.NullMarked;
