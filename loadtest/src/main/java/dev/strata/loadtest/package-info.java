/**
 * The load generator, its workloads and reports (issue #5). Empty until then: the module exists
 * so the build has its final shape.
 */
@NullMarked
package dev.strata.loadtest;

import org.jspecify.annotations.NullMarked;
