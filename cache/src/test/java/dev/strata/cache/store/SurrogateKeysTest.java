package dev.strata.cache.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NotEmpty;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SurrogateKeysTest {
    @Test
    void keysAreSeparatedBySpacesOrCommasAcrossBothFields() {
        HeaderList headers = HeaderList.of(
                "Surrogate-Key", "  product-42 catalog\tsale ",
                "cache-tag", "sale,home, , news",
                "Content-Type", "text/html");

        assertThat(SurrogateKeys.of(headers)).containsExactly("product-42", "catalog", "sale", "home", "news");
    }

    @Test
    void keysAreCaseSensitiveAndNoneWithoutTheFields() {
        assertThat(SurrogateKeys.of(HeaderList.of("Surrogate-Key", "Sale sale")))
                .containsExactly("Sale", "sale");
        assertThat(SurrogateKeys.of(HeaderList.of("Content-Type", "text/html"))).isEmpty();
        assertThat(SurrogateKeys.of(HeaderList.of("Cache-Tag", " , "))).isEmpty();
    }

    @Property
    void whateverTheSeparatorsEveryKeyIsFound(
            @ForAll @Size(min = 1, max = 8) List<@AlphaChars @NotEmpty String> keys, @ForAll boolean commas) {
        String value = String.join(commas ? " , " : "  ", keys);

        assertThat(SurrogateKeys.of(HeaderList.of("Surrogate-Key", value)))
                .containsExactlyElementsOf(keys.stream().distinct().toList());
    }
}
