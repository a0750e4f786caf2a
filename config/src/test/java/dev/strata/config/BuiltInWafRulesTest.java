package dev.strata.config;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The built-in WAF rules: unique valid ids, patterns that compile, and character sets ({@link
 * BuiltInWafRules#REQUIRES}) that every match of a pattern holds, so skipping values without them
 * never misses one.
 */
class BuiltInWafRulesTest {
    /** Pieces of attacks and of ordinary requests, joined at random into values to match. */
    private static final List<String> PIECES = List.of(
            "union",
            "UNION",
            "select",
            "all",
            "or",
            "OR",
            "and",
            "xor",
            "like",
            "drop",
            "exec",
            "sleep",
            "benchmark",
            "waitfor",
            "delay",
            "information_schema",
            "sysobjects",
            "mysql.user",
            "script",
            "SCRIPT",
            "onerror",
            "onload",
            "onmouseover",
            "javascript",
            "vbscript",
            "data",
            "text/html",
            "iframe",
            "svg",
            "img",
            "b",
            "..",
            "/",
            "\\",
            "etc/passwd",
            "proc/self/",
            "win.ini",
            "c:\\windows\\",
            ".git",
            ".env",
            ".htpasswd",
            "jndi",
            "${",
            "}",
            "() {",
            "(",
            ")",
            "{",
            "sqlmap",
            "nikto",
            "Nuclei",
            "masscan",
            "'",
            "\"",
            "`",
            "=",
            "<",
            ">",
            "!",
            "-",
            "--",
            "#",
            "/*",
            "*/",
            "/*!",
            ";",
            ":",
            " ",
            "+",
            "\t",
            "1",
            "42",
            "||",
            "&&",
            "&",
            "?",
            "q=",
            "%",
            "_",
            "a",
            "Mozilla/5.0",
            "www.example.com",
            "etc",
            "proc",
            "self",
            "passwd",
            "windows",
            "ini",
            "win",
            "boot",
            ".ini",
            "on",
            "ON",
            "error",
            "load",
            "ssion");

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of(PIECES).list().ofMaxSize(12).map(pieces -> String.join("", pieces));
    }

    @Property(tries = 20_000)
    void everyMatchHoldsTheRequiredCharacters(@ForAll("values") String value) {
        for (WafRuleConfig rule : BuiltInWafRules.SIGNATURES) {
            Matcher matcher = Pattern.compile(rule.pattern()).matcher(value);
            if (!matcher.find()) {
                continue;
            }
            String matched = matcher.group();
            BuiltInWafRules.Requirement requirement = requireNonNull(BuiltInWafRules.REQUIRES.get(rule.id()));
            for (String set : requirement.characterSets()) {
                assertThat(matched.chars().anyMatch(c -> set.indexOf(c) >= 0))
                        .as("%s matched %s in %s without any of %s", rule.id(), matched, value, set)
                        .isTrue();
            }
            String lower = matched.toLowerCase(Locale.ROOT);
            if (!requirement.anyOf().isEmpty()) {
                assertThat(requirement.anyOf().stream().anyMatch(word -> lower.contains(word.toLowerCase(Locale.ROOT))))
                        .as("%s matched %s in %s without any of %s", rule.id(), matched, value, requirement.anyOf())
                        .isTrue();
            }
        }
    }

    @Test
    void eachRuleHasUniqueValidIdAndRequirements() {
        List<String> ids = BuiltInWafRules.ids();
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(ids)
                .allSatisfy(id -> assertThat(Scalars.parseName(id, "a rule id")).isEqualTo(id));
        assertThat(BuiltInWafRules.SIGNATURES).allSatisfy(rule -> {
            assertThat(Pattern.compile(rule.pattern())).isNotNull();
            assertThat(rule.description()).isNotBlank();
        });
        assertThat(BuiltInWafRules.REQUIRES.keySet())
                .containsExactlyElementsOf(BuiltInWafRules.SIGNATURES.stream()
                        .map(WafRuleConfig::id)
                        .toList());
        assertThat(BuiltInWafRules.PROTOCOL_CHECKS.keySet())
                .allSatisfy(id -> assertThat(id).startsWith("protocol."));
    }

    @Test
    void matchesAreFoundInTheGeneratedValues() {
        // The property above is only as good as the matches it sees: each rule matches some pieces.
        List<String> samples = List.of(
                "1 union/**/select",
                "' or '1'='1",
                ";drop table",
                "sleep(",
                "information_schema",
                "'--",
                "<script",
                " onerror=",
                "javascript:",
                "<iframe",
                "<b>",
                "../",
                "/etc/passwd",
                "/.git/",
                "${jndi:",
                "() {",
                "sqlmap",
                "c:\\windows\\",
                "win.ini");
        for (WafRuleConfig rule : BuiltInWafRules.SIGNATURES) {
            assertThat(samples.stream().anyMatch(sample -> Pattern.compile(rule.pattern())
                            .matcher(sample)
                            .find()))
                    .as(rule.id())
                    .isTrue();
        }
    }
}
