package dev.strata.purge;

import dev.strata.config.PurgeTokenConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The bearer tokens the API accepts, known only by their SHA-256. A presented token is hashed and
 * compared with every configured hash in constant time ({@link MessageDigest#isEqual}), without
 * stopping at a match, so the time taken tells nothing about which hash, or how much of one,
 * matched. Immutable and thread-safe.
 */
final class Tokens {
    @SuppressWarnings("ArrayRecordComponent") // private, never compared or exposed
    private record Known(PurgeTokenConfig config, byte[] hash) {}

    private final List<Known> known;

    Tokens(List<PurgeTokenConfig> tokens) {
        this.known = tokens.stream()
                .map(token -> new Known(token, HexFormat.of().parseHex(token.sha256())))
                .toList();
    }

    /** The SHA-256 of {@code token}'s UTF-8 bytes, in lower-case hex: what the configuration holds. */
    static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The token an {@code Authorization} value presents, if it is one of ours.
     *
     * @param authorization the header's value ({@code Bearer TOKEN}), or null when absent
     */
    Optional<PurgeTokenConfig> authenticate(@Nullable String authorization) {
        if (authorization == null
                || authorization.length() < 8
                || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        byte[] presented = sha256(authorization.substring(7).strip());
        PurgeTokenConfig found = null;
        for (Known candidate : known) {
            if (MessageDigest.isEqual(candidate.hash(), presented) && found == null) {
                found = candidate.config();
            }
        }
        return Optional.ofNullable(found);
    }
}
