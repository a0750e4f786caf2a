package dev.strata.dist;

import dev.strata.config.ConfigLoader;
import dev.strata.config.SiteConfig;
import dev.strata.config.StrataConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Command-line flags on top of the configuration file: each flag set is an override of one key
 * path, validated exactly like the file, so errors read {@code command line: edge.listen: …}.
 */
final class Flags {
    private final Map<String, Object> overrides = new LinkedHashMap<>();
    private final List<URI> origins = new ArrayList<>();

    /** Sets {@code keyPath} when the flag was given. */
    Flags set(String keyPath, @Nullable Object value) {
        if (value instanceof Path path) {
            overrides.put(keyPath, path.toString());
        } else if (value instanceof List<?> list) {
            if (!list.isEmpty()) {
                List<String> strings = new ArrayList<>();
                list.forEach(item -> strings.add(String.valueOf(item)));
                overrides.put(keyPath, strings);
            }
        } else if (value != null) {
            overrides.put(keyPath, value.toString());
        }
        return this;
    }

    /** Replaces the file's sites with one site for any host in front of {@code urls}. */
    Flags origins(String flag, List<String> urls) {
        for (String url : urls) {
            origins.add(ConfigLoader.parseUrl(flag, url));
        }
        return this;
    }

    /** The file (or the defaults) with these flags applied, validated. */
    StrataConfig load(@Nullable Path file) {
        StrataConfig config = ConfigLoader.load(file, overrides);
        if (origins.isEmpty()) {
            return config;
        }
        return config.withSites(List.of(SiteConfig.anyHost(origins)));
    }
}
