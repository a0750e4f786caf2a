/**
 * The typed, immutable configuration of every Strata role, its YAML loading and its validation.
 * Errors name the file, the line, the key path, the bad value and what was expected.
 */
@NullMarked
package dev.strata.config;

import org.jspecify.annotations.NullMarked;
