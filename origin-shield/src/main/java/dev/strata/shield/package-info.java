/**
 * The origin-shield server: a caching proxy between the edges of every PoP and the origins, so
 * that one object costs the origin one fetch.
 */
@NullMarked
package dev.strata.shield;

import org.jspecify.annotations.NullMarked;
