package dev.strata.dist;

import java.io.PrintStream;

/** Standard output and error of the command, the only place the program prints to them. */
@SuppressForbidden(reason = "a command-line program prints its results and errors")
final class Terminal {
    private Terminal() {}

    static PrintStream out() {
        return System.out;
    }

    static PrintStream err() {
        return System.err;
    }
}
