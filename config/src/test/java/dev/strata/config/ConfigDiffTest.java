package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigDiffTest {
    private static final String BASE =
            """
            node:
              name: ams
            edge:
              listen: 127.0.0.1:8080
              shields: [http://10.0.0.1:8070, http://10.0.0.2:8070]
              limits:
                max-headers: 100
            sites:
              - name: static
                hosts: [static.example.com]
                origins: [http://10.0.1.1:8000, {url: http://10.0.1.2:8000, weight: 2}]
              - name: www
                origins: [http://10.0.2.1:8000]
            """;

    private static StrataConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, "strata.yaml");
    }

    @Test
    void equalConfigurationsHaveNoChanges() {
        assertThat(ConfigDiff.changes(parse(BASE), parse(BASE))).isEmpty();
        assertThat(ConfigDiff.changes(StrataConfig.defaults(), StrataConfig.defaults()))
                .isEmpty();
    }

    @Test
    void namesEachChangedKeyByItsPathInTheFile() {
        String changed = BASE.replace("127.0.0.1:8080", "127.0.0.1:9080")
                .replace("max-headers: 100", "max-headers: 50")
                .replace("http://10.0.0.2:8070", "http://10.0.0.3:8070")
                .replace("weight: 2", "weight: 3")
                .replace("http://10.0.2.1:8000", "http://10.0.2.9:8000");

        assertThat(ConfigDiff.changes(parse(BASE), parse(changed)))
                .containsExactly(
                        "edge.listen",
                        "edge.shields[1]",
                        "edge.limits.max-headers",
                        "sites[0].origins[1].weight",
                        "sites[1].origins[0].url");
    }

    @Test
    void aListWhoseLengthChangedIsOneChange() {
        String fewer = BASE.replace(", {url: http://10.0.1.2:8000, weight: 2}", "")
                .replace(
                        """
                          - name: www
                            origins: [http://10.0.2.1:8000]
                        """,
                        "");

        assertThat(ConfigDiff.changes(parse(BASE), parse(fewer))).containsExactly("sites");
        assertThat(ConfigDiff.changes(parse(BASE), parse(BASE.replace(", {url: http://10.0.1.2:8000, weight: 2}", ""))))
                .containsExactly("sites[0].origins");
    }

    @Test
    void aKeyLeftOutIsAChangeOnlyWhenItsDefaultDiffers() {
        assertThat(ConfigDiff.changes(parse(BASE), parse(BASE.replace("    max-headers: 100\n", ""))))
                .isEmpty();
        assertThat(ConfigDiff.changes(
                        parse(BASE), parse(BASE.replace("  name: ams\n", "  name: ams\n  drain-timeout: 5s\n"))))
                .containsExactly("node.drain-timeout");
    }
}
