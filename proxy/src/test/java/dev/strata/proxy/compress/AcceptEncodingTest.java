package dev.strata.proxy.compress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AcceptEncodingTest {
    private static @Nullable ContentCoding select(String... lines) {
        return AcceptEncoding.select(List.of(lines), true);
    }

    @Test
    void noFieldOrAnEmptyOneMeansTheIdentity() {
        assertThat(AcceptEncoding.select(List.of(), true)).isNull();
        assertThat(select("")).isNull();
        assertThat(select(" , ")).isNull();
    }

    @Test
    void brIsPreferredOverGzipAtEqualWeights() {
        assertThat(select("gzip, deflate, br")).isEqualTo(ContentCoding.BR);
        assertThat(select("br;q=0.8, gzip;q=0.8")).isEqualTo(ContentCoding.BR);
        assertThat(select("gzip")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("GZIP")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("x-gzip")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("Br")).isEqualTo(ContentCoding.BR);
    }

    @Test
    void higherWeightsWin() {
        assertThat(select("br;q=0.5, gzip")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("br;q=0.5, gzip;q=0.499")).isEqualTo(ContentCoding.BR);
        assertThat(select("gzip ; q = 0.9 , br ;q=0.1")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("br;Q=1.000, gzip")).isEqualTo(ContentCoding.BR);
    }

    @Test
    void zeroMeansNotAcceptable() {
        assertThat(select("br;q=0, gzip")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("br;q=0.000, gzip;q=0")).isNull();
        assertThat(select("identity")).isNull();
        assertThat(select("deflate, zstd")).isNull();
    }

    @Test
    void starCoversWhatIsNotListed() {
        assertThat(select("*")).isEqualTo(ContentCoding.BR);
        assertThat(select("br;q=0, *")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("*;q=0"))
                .as("nothing acceptable: the identity all the same")
                .isNull();
        assertThat(select("gzip;q=0.5, *;q=0.1")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("*;q=0.3, gzip;q=0.2")).isEqualTo(ContentCoding.BR);
    }

    @Test
    void theIdentityWinsOnlyWithAStrictlyHigherWeight() {
        assertThat(select("br;q=0.5, identity")).isNull();
        assertThat(select("br;q=0.5, identity;q=0.5")).isEqualTo(ContentCoding.BR);
        assertThat(select("gzip, identity;q=0")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("gzip;q=0.2, *;q=0.9, br;q=0"))
                .as("* gives the identity 0.9")
                .isNull();
    }

    @Test
    void invalidWeightsIgnoreTheirMember() {
        assertThat(select("br;q=2, gzip")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("br;q=0.5555, gzip;q=0.1")).isEqualTo(ContentCoding.GZIP);
        assertThat(select("br;q=1.5")).isNull();
        assertThat(select("br;q=, gzip;q=abc")).isNull();
        assertThat(select("br;level=3;q=0.4, gzip;q=0.3")).isEqualTo(ContentCoding.BR);
    }

    @Test
    void fieldLinesAreOneList() {
        assertThat(select("gzip;q=0.5", "br;q=0.9")).isEqualTo(ContentCoding.BR);
        assertThat(select("br;q=0", "br;q=0.2, gzip;q=0.1"))
                .as("the highest weight of a repeated coding")
                .isEqualTo(ContentCoding.BR);
    }

    @Test
    void withoutBrotliGzipIsOffered() {
        assertThat(AcceptEncoding.select(List.of("br, gzip"), false)).isEqualTo(ContentCoding.GZIP);
        assertThat(AcceptEncoding.select(List.of("br"), false)).isNull();
        assertThat(AcceptEncoding.select(List.of("*"), false)).isEqualTo(ContentCoding.GZIP);
    }

    @Property
    void anyFieldValueIsAnsweredWithoutAnError(@ForAll @StringLength(max = 60) String value) {
        ContentCoding chosen = select(value);
        if (chosen == ContentCoding.BR) {
            assertThat(value.toLowerCase(java.util.Locale.ROOT)).containsAnyOf("br", "*");
        }
    }

    @Property
    void orderDoesNotMatter(@ForAll("codings") List<String> members) {
        List<String> reversed = new java.util.ArrayList<>(members);
        java.util.Collections.reverse(reversed);
        assertThat(select(String.join(", ", members))).isEqualTo(select(String.join(",", reversed)));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<List<String>> codings() {
        return net.jqwik.api.Arbitraries.of(
                        "br",
                        "gzip",
                        "x-gzip",
                        "identity",
                        "*",
                        "deflate",
                        "br;q=0.5",
                        "gzip;q=0.7",
                        "identity;q=0",
                        "*;q=0",
                        "br;q=0",
                        "gzip;q=0.25",
                        "*;q=0.1")
                .list()
                .ofMaxSize(5)
                .uniqueElements(member -> member.split(";")[0]);
    }
}
