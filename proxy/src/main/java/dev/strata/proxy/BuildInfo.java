package dev.strata.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What build this node is: the project version Maven wrote into {@code build.properties} when it
 * built the proxy module, the version {@code strata --version} prints from the jar's manifest.
 */
final class BuildInfo {
    /** The project version, e.g. {@code 0.1.0-SNAPSHOT}. */
    static final String VERSION = load();

    private BuildInfo() {}

    private static String load() {
        Properties properties = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
            if (in == null) {
                return "(development build)";
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read build.properties", e);
        }
        String version = properties.getProperty("version", "");
        return version.isEmpty() || version.startsWith("${") ? "(development build)" : version;
    }
}
