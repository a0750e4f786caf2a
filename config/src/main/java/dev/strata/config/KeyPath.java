package dev.strata.config;

/**
 * A dotted key path into the configuration, with list items as indexes: {@code
 * sites[0].origins[1]}.
 */
record KeyPath(String text) {
    static final KeyPath ROOT = new KeyPath("");

    KeyPath child(String key) {
        return new KeyPath(text.isEmpty() ? key : text + "." + key);
    }

    KeyPath index(int index) {
        return new KeyPath(text + "[" + index + "]");
    }

    boolean isRoot() {
        return text.isEmpty();
    }

    @Override
    public String toString() {
        return text;
    }
}
