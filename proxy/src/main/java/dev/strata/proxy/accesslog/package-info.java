/**
 * The access log of an edge or shield: one immutable entry per request, handed from the I/O thread
 * to a bounded lock-free queue, formatted ({@code combined} or {@code json}) and written by one
 * thread to a file rotated by size. A full queue or a failing disk drops lines and counts them;
 * neither ever blocks or stops the node.
 */
@NullMarked
package dev.strata.proxy.accesslog;

import org.jspecify.annotations.NullMarked;
