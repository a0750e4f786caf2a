package dev.strata.origin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class EntityTagTest {
    @Test
    void parsesListsWithWeakTagsAndEmptyElements() {
        assertThat(EntityTag.parseList(" \"a\" , W/\"b\",,\"\" "))
                .contains(List.of(EntityTag.strong("a"), new EntityTag("b", true), EntityTag.strong("")));
    }

    @Test
    void rejectsMalformedLists() {
        for (String malformed : List.of("a", "\"a", "\"a\" \"b\"", "w/\"a\"", "\"a b\"", "W/a")) {
            assertThat(EntityTag.parseList(malformed)).as(malformed).isEmpty();
        }
    }

    @Test
    void comparesStronglyAndWeakly() {
        EntityTag strong = EntityTag.strong("1");
        EntityTag weak = new EntityTag("1", true);
        assertThat(strong.strongMatch(EntityTag.strong("1"))).isTrue();
        assertThat(strong.strongMatch(weak)).isFalse();
        assertThat(weak.strongMatch(weak)).isFalse();
        assertThat(strong.weakMatch(weak)).isTrue();
        assertThat(strong.weakMatch(EntityTag.strong("2"))).isFalse();
    }

    @Test
    void printsFieldValueForm() {
        assertThat(EntityTag.strong("xyz")).hasToString("\"xyz\"");
        assertThat(new EntityTag("xyz", true)).hasToString("W/\"xyz\"");
    }

    @Property
    void parsingNeverThrows(@ForAll String value) {
        EntityTag.parseList(value);
        EntityTag.parse(value);
    }
}
