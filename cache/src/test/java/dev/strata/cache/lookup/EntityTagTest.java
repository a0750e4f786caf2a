package dev.strata.cache.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class EntityTagTest {
    @Test
    void parsesStrongAndWeakTags() {
        assertThat(EntityTag.parse("\"xyzzy\"")).isEqualTo(new EntityTag("xyzzy", false));
        assertThat(EntityTag.parse(" W/\"xyzzy\" ")).isEqualTo(new EntityTag("xyzzy", true));
        assertThat(EntityTag.parse("\"\"")).isEqualTo(new EntityTag("", false));
    }

    @Test
    void unquotedTagIsReadLeniently() {
        assertThat(EntityTag.parse("abc")).isEqualTo(new EntityTag("abc", false));
    }

    @Test
    void malformedTagsAreInvalid() {
        assertThat(EntityTag.parse("")).isNull();
        assertThat(EntityTag.parse("\"abc")).isNull();
        assertThat(EntityTag.parse("\"a\"b\"")).isNull();
        assertThat(EntityTag.parse("a b")).isNull();
        assertThat(EntityTag.parse("W/")).isNull();
    }

    @Test
    void comparisonsFollowRfc9110() {
        // RFC 9110 §8.8.3.2's table.
        EntityTag weak1 = new EntityTag("1", true);
        EntityTag weak2 = new EntityTag("2", true);
        EntityTag strong1 = new EntityTag("1", false);

        assertThat(weak1.strongMatch(weak1)).isFalse();
        assertThat(weak1.weakMatch(weak1)).isTrue();
        assertThat(weak1.strongMatch(weak2)).isFalse();
        assertThat(weak1.weakMatch(weak2)).isFalse();
        assertThat(weak1.strongMatch(strong1)).isFalse();
        assertThat(weak1.weakMatch(strong1)).isTrue();
        assertThat(strong1.strongMatch(strong1)).isTrue();
    }

    @Test
    void membersSplitOnCommasOutsideQuotes() {
        assertThat(EntityTag.members(List.of("\"a,b\", W/\"c\" ,,", " *"))).containsExactly("\"a,b\"", "W/\"c\"", "*");
    }

    @Property
    void formattedTagsParseBack(@ForAll("opaqueTags") String opaque, @ForAll boolean weak) {
        EntityTag tag = new EntityTag(opaque, weak);

        assertThat(EntityTag.parse(tag.toString())).isEqualTo(tag);
        assertThat(EntityTag.members(List.of("\"other\", " + tag))).containsExactly("\"other\"", tag.toString());
    }

    @Property
    void parseAndMembersNeverThrow(@ForAll("almostTags") String text) {
        EntityTag.parse(text);
        EntityTag.members(List.of(text));
    }

    @Provide
    Arbitrary<String> opaqueTags() {
        // etagc: %x21 / %x23-7E (no DQUOTE), which includes the comma.
        return Arbitraries.strings()
                .withChars((char) 0x21)
                .withCharRange((char) 0x23, (char) 0x7e)
                .ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> almostTags() {
        return Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20),
                Arbitraries.strings().withChars("W/\", *ab ").ofMaxLength(20));
    }
}
