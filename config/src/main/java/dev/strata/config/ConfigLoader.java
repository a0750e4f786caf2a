package dev.strata.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Loads a {@link StrataConfig} from a YAML file, with command-line flags on top.
 *
 * <p>Every key is optional and takes its documented default, so no file is needed to start; the
 * only required values are the {@code origins} of each entry of {@code sites}. Unknown keys are
 * errors. Any problem is a {@link ConfigException} with one complete message, {@code
 * FILE:LINE: KEY.PATH: DETAIL}, for example {@code strata.yaml:12: edge.cache.memory: "64XB" is
 * not a size (expected: e.g. 512MiB)}; a command that loads configuration should print it and exit
 * with status 2. The layout and every key are documented in {@code docs/configuration.md}.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /**
     * Loads and validates a configuration file.
     *
     * @param file the file; error messages name it as given here
     * @throws ConfigException when the file cannot be read or is not a valid configuration
     */
    public static StrataConfig load(Path file) {
        return load(file, Map.of());
    }

    /**
     * Loads a configuration file, or the defaults, and applies command-line flags on top before
     * validating the result.
     *
     * @param file the file, or {@code null} to start from the defaults
     * @param overrides flags by dotted key path, as in the file ({@code edge.listen}, {@code
     *     edge.cache.dir}, {@code origin.cache-control}); each value is a {@code String}, read like a
     *     YAML scalar, or a {@code List<String>}, read like a YAML list (a {@code String} given for a
     *     list is split at commas). {@code sites} cannot be set this way. Errors in a flag are
     *     reported as {@code command line: edge.listen: …}.
     * @throws ConfigException when the file cannot be read, or the file or a flag is not valid
     */
    public static StrataConfig load(@Nullable Path file, Map<String, Object> overrides) {
        Value root =
                file == null ? new Value.Nothing(Location.COMMAND_LINE) : YamlParser.parse(read(file), file.toString());
        return Binder.bind(Overrides.apply(root, overrides));
    }

    /**
     * Parses configuration text, as if read from a file.
     *
     * @param yaml the YAML text; empty text gives {@link StrataConfig#defaults()}
     * @param sourceName what error messages call the text, e.g. its file name
     * @throws ConfigException when the text is not a valid configuration
     */
    public static StrataConfig parse(String yaml, String sourceName) {
        return Binder.bind(YamlParser.parse(yaml, sourceName));
    }

    /**
     * Parses an origin or shield URL given on the command line, the same way as in a file.
     *
     * @param flag the flag as the user typed it, e.g. {@code --origin}
     * @throws ConfigException {@code command line: --origin: "ftp://x" is not an http(s) URL
     *     (expected: e.g. http://127.0.0.1:8000)}
     */
    public static URI parseUrl(String flag, String text) {
        try {
            return Scalars.parseUrl(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(Location.COMMAND_LINE.source() + ": " + flag + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        Location at = Location.of(file.toString());
        if (Files.isDirectory(file)) {
            throw at.error(KeyPath.ROOT, "cannot read (is a directory)");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(YamlParser.MAX_SIZE + 1);
        } catch (NoSuchFileException e) {
            throw new ConfigException(at + ": cannot read (no such file)", e);
        } catch (AccessDeniedException e) {
            throw new ConfigException(at + ": cannot read (permission denied)", e);
        } catch (IOException e) {
            String reason =
                    Objects.requireNonNullElse(e.getMessage(), e.getClass().getSimpleName());
            throw new ConfigException(at + ": cannot read (" + reason + ")", e);
        }
        if (bytes.length > YamlParser.MAX_SIZE) {
            throw YamlParser.tooLarge(file.toString());
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(at + ": cannot read (not UTF-8 text)", e);
        }
    }
}
