package dev.strata.cache.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedKeyTest {
    private static final CacheKey KEY = CacheKey.from("https", "example.com", "/app.js", "", KeyPolicy.defaults());

    @Test
    void diskKeysStartWithTheUrlsVariantPrefixAndNeverLookLikeAVariant() {
        VaryKey variant = VaryKey.of(KEY, List.of("accept-language"), name -> List.of("en"));
        byte[] prefix = VaryKey.variantPrefix(KEY);
        byte[] plain = EncodedKey.of(KEY, "br").toBytes();
        byte[] ofVariant = EncodedKey.of(variant, "br").toBytes();

        assertThat(Arrays.copyOf(plain, prefix.length)).isEqualTo(prefix);
        assertThat(Arrays.copyOf(ofVariant, prefix.length)).isEqualTo(prefix);
        assertThat(plain.length).isNotEqualTo(variant.toBytes().length);
        assertThat(ofVariant.length).isNotEqualTo(variant.toBytes().length);
        assertThat(EncodedKey.of(KEY, "br").toBytes())
                .isNotEqualTo(EncodedKey.of(KEY, "gzip").toBytes());
        assertThat(EncodedKey.of(KEY, "br")).isEqualTo(EncodedKey.of(KEY, "br"));
        assertThat(EncodedKey.of(variant, "br").toString()).endsWith(" ~br");
    }

    @Test
    void codingsAreLowerCaseTokensAndVariantsBelongToTheirUrl() {
        assertThatThrownBy(() -> EncodedKey.of(KEY, "BR")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EncodedKey.of(KEY, "")).isInstanceOf(IllegalArgumentException.class);
        CacheKey other = CacheKey.from("https", "example.com", "/other.js", "", KeyPolicy.defaults());
        VaryKey otherVariant = VaryKey.of(other, List.of("accept-language"), name -> List.of("en"));
        assertThatThrownBy(() -> new EncodedKey(KEY, otherVariant, "br")).isInstanceOf(IllegalArgumentException.class);
    }
}
