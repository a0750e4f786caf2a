package dev.strata.config;

/**
 * Where a configuration value came from: a line of a file, or the command line. Renders as the
 * prefix of every error message ({@code strata.yaml:12} or {@code command line}).
 *
 * @param source the file name as the operator gave it, or {@code command line}
 * @param line the 1-based line, or 0 when there is none (command line, whole-file errors)
 */
record Location(String source, int line) {
    static final Location COMMAND_LINE = new Location("command line", 0);

    static Location of(String source) {
        return new Location(source, 0);
    }

    boolean isCommandLine() {
        return equals(COMMAND_LINE);
    }

    /** An error at this location: {@code SOURCE:LINE: KEY.PATH: DETAIL}. */
    ConfigException error(KeyPath path, String detail) {
        return new ConfigException(path.isRoot() ? this + ": " + detail : this + ": " + path + ": " + detail);
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line : source;
    }
}
