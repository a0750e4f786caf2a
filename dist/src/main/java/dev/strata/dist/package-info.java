/**
 * The {@code strata} command: one runnable jar whose sub-commands start each role ({@code origin},
 * {@code edge}, {@code shield}, {@code purge-api}), check a configuration, or run a whole CDN on
 * loopback ({@code demo}).
 */
@NullMarked
package dev.strata.dist;

import org.jspecify.annotations.NullMarked;
