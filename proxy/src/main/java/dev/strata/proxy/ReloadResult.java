package dev.strata.proxy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** What a configuration reload did: {@link Applied} with what changed, or {@link Rejected} and why. */
public sealed interface ReloadResult {
    /** The result in a few lines of text, for the log and {@code POST /reload}. */
    String text();

    /**
     * The new configuration runs.
     *
     * @param changed the keys applied, for the requests that start from now on
     * @param needsRestart keys whose value differs from the one the node started with and that only
     *     a restart applies (listen address, cache, name, purge API, admin listener): the node keeps
     *     running with the value it started with
     * @param notRead changed keys this node's role does not read (another role's section)
     */
    record Applied(List<String> changed, List<String> needsRestart, List<String> notRead) implements ReloadResult {
        public Applied {
            changed = List.copyOf(changed);
            needsRestart = List.copyOf(needsRestart);
            notRead = List.copyOf(notRead);
        }

        @Override
        public String text() {
            StringBuilder text = new StringBuilder("reloaded\n");
            text.append("changed: ")
                    .append(changed.isEmpty() ? "nothing" : String.join(", ", changed))
                    .append('\n');
            if (!needsRestart.isEmpty()) {
                text.append("needs restart (running with the values it started with): ")
                        .append(String.join(", ", needsRestart))
                        .append('\n');
            }
            if (!notRead.isEmpty()) {
                text.append("not read by this node: ")
                        .append(String.join(", ", notRead))
                        .append('\n');
            }
            return text.toString();
        }
    }

    /**
     * The configuration could not be read or is not valid; the running one stays, unchanged.
     *
     * @param reason the error, naming the file, line and key path when it is in the file
     */
    record Rejected(String reason) implements ReloadResult {
        public Rejected {
            requireNonNull(reason, "reason");
        }

        @Override
        public String text() {
            return "rejected: " + reason + "\nthe running configuration is kept\n";
        }
    }
}
