package dev.strata.config;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every class of configuration error, asserting the whole message an operator reads. */
class ConfigErrorsTest {

    private static void assertRejected(String yaml, String message) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "strata.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void ioThreadsOutOfRangeNamesTheRange() {
        assertRejected(
                """
        node:
          io-threads: 1000
        """,
                "strata.yaml:2: node.io-threads: \"1000\" is out of range (expected: 0 for one per CPU, or 1 to 256)");
    }

    @Test
    void unknownKeySuggestsTheClosestValidKey() {
        assertRejected(
                """
        edge:
          listen: 127.0.0.1:8080
          cahce:
            memory: 64MiB
        """,
                "strata.yaml:3: edge.cahce: unknown key (did you mean \"cache\"?)");
    }

    @Test
    void unknownKeyInCamelCaseSuggestsTheKebabCaseKey() {
        assertRejected(
                """
        edge:
          cache:
            maxObjectSize: 1MiB
        """,
                "strata.yaml:3: edge.cache.maxObjectSize: unknown key (did you mean \"max-object-size\"?)");
    }

    @Test
    void unknownKeyFarFromAnyListsTheValidKeys() {
        assertRejected(
                """
        edge:
          colour: red
        """,
                "strata.yaml:2: edge.colour: unknown key (expected one of: listen, shields, shield-balancer,"
                        + " shield-health-check, shield-outlier-detection, shield-slow-start, cache, limits,"
                        + " upstream, compression)");
    }

    @Test
    void unknownTopLevelSectionListsTheSections() {
        assertRejected(
                "logging: {}\n",
                "strata.yaml:1: logging: unknown key (expected one of: node, edge, shield, sites, waf, rate-limits,"
                        + " purge-api, admin, access-log, server-timing, origin)");
    }

    @Test
    void anUnknownAccessLogFormatNamesTheFormats() {
        assertRejected(
                "access-log:\n  format: xml\n",
                "strata.yaml:2: access-log.format: \"xml\" is not an access log format (expected: one of combined, json)");
    }

    @Test
    void anAccessLogKeepsAtLeastOneFile() {
        assertRejected(
                "access-log:\n  max-files: 0\n",
                "strata.yaml:2: access-log.max-files: \"0\" is out of range (expected: >= 1)");
    }

    @Test
    void textWhereANumberIsExpectedIsAWrongType() {
        assertRejected(
                """
        rate-limits:
          requests-per-second: abc
        """,
                "strata.yaml:2: rate-limits.requests-per-second: expected a number, got \"abc\"");
    }

    @Test
    void fractionWhereAWholeNumberIsExpectedIsAWrongType() {
        assertRejected(
                """
        edge:
          limits:
            max-headers: 1.5
        """,
                "strata.yaml:3: edge.limits.max-headers: expected a whole number, got \"1.5\"");
    }

    @Test
    void yesIsNotABoolean() {
        assertRejected("waf:\n  enabled: yes\n", "strata.yaml:2: waf.enabled: expected true or false, got \"yes\"");
    }

    @Test
    void mapWhereAScalarIsExpectedIsAWrongType() {
        assertRejected(
                """
        edge:
          listen:
            host: 127.0.0.1
            port: 8080
        """,
                "strata.yaml:3: edge.listen: expected a listen address, got a map");
    }

    @Test
    void scalarWhereAListIsExpectedIsAWrongType() {
        assertRejected(
                "edge:\n  shields: http://127.0.0.1:8070\n",
                "strata.yaml:2: edge.shields: expected a list, got \"http://127.0.0.1:8070\"");
    }

    @Test
    void scalarWhereASectionIsExpectedIsAWrongType() {
        assertRejected("node: ams\n", "strata.yaml:1: node: expected a map, got \"ams\"");
    }

    @Test
    void documentThatIsNotAMapIsAWrongType() {
        assertRejected("- edge\n", "strata.yaml:1: expected a map, got a list");
    }

    @Test
    void emptyValueWhereAScalarIsExpectedIsAWrongType() {
        assertRejected(
                "origin:\n  cache-control:\n", "strata.yaml:2: origin.cache-control: expected a string, got nothing");
    }

    @Test
    void badSizeNamesTheLineKeyAndValue() {
        String yaml = "# padding\n".repeat(9) + """
        edge:
          cache:
            memory: 64XB
        """;
        assertRejected(yaml, "strata.yaml:12: edge.cache.memory: \"64XB\" is not a size (expected: e.g. 512MiB)");
    }

    @Test
    void badDuration() {
        assertRejected(
                """
        shield:
          upstream:
            connect-timeout: 10parsecs
        """,
                "strata.yaml:3: shield.upstream.connect-timeout: \"10parsecs\" is not a duration"
                        + " (expected: e.g. 30s, 500ms, 5m, 1h, 1d)");
    }

    @Test
    void badUrlNamesTheListItem() {
        assertRejected(
                """
        edge:
          shields:
            - http://127.0.0.1:8070
            - ftp:/x
        """,
                "strata.yaml:4: edge.shields[1]: \"ftp:/x\" is not an http(s) URL (expected: e.g. http://127.0.0.1:8000)");
    }

    @Test
    void urlWithoutHostIsBad() {
        assertRejected(
                "sites:\n  - origins: [http:///index.html]\n",
                "strata.yaml:2: sites[0].origins[0]: \"http:///index.html\" is not an http(s) URL"
                        + " (expected: e.g. http://127.0.0.1:8000)");
    }

    @Test
    void natsServerMustBeANatsUrlWithoutAPassword() {
        assertRejected(
                "purge-api:\n  log:\n    nats:\n      servers: [http://127.0.0.1:4222]\n",
                "strata.yaml:4: purge-api.log.nats.servers[0]: \"http://127.0.0.1:4222\" is not a NATS URL"
                        + " (expected: e.g. nats://127.0.0.1:4222 or tls://nats.example.com:4222)");
        assertRejected(
                "purge-api:\n  log:\n    nats:\n      servers: [nats://ops:secret@127.0.0.1:4222]\n",
                "strata.yaml:4: purge-api.log.nats.servers[0]: \"nats://ops:secret@127.0.0.1:4222\" has a user or"
                        + " password (expected: none; use purge-api.log.nats.credentials)");
        assertRejected(
                "purge-api:\n  log:\n    nats:\n      servers: []\n",
                "strata.yaml:4: purge-api.log.nats.servers: empty (expected: at least one NATS URL, e.g."
                        + " [nats://127.0.0.1:4222])");
    }

    @Test
    void unknownPurgeLogKindAndBadStreamName() {
        assertRejected(
                "purge-api:\n  log:\n    kind: kafka\n",
                "strata.yaml:3: purge-api.log.kind: \"kafka\" is not a purge log kind (expected: one of rocksdb,"
                        + " nats)");
        assertRejected(
                "purge-api:\n  log:\n    nats:\n      stream: strata.purge\n",
                "strata.yaml:4: purge-api.log.nats.stream: \"strata.purge\" is not a stream name (expected:"
                        + " letters, digits, '-' or '_', at most 64, e.g. STRATA_PURGE)");
        assertRejected(
                "purge-api:\n  log:\n    nats:\n      replicas: 7\n",
                "strata.yaml:4: purge-api.log.nats.replicas: \"7\" is out of range (expected: 1 to 5)");
    }

    @Test
    void siteWithoutOriginsIsMissingARequiredValue() {
        assertRejected(
                """
        node:
          name: ams
        sites:
          - name: static
            origins: [http://127.0.0.1:8000]
          - name: images
            hosts: [img.example.com]
        """,
                "strata.yaml:6: sites[1].origins: missing (expected: a list of origin URLs, e.g. [http://127.0.0.1:8000])");
    }

    @Test
    void siteWithEmptyOriginsIsMissingARequiredValue() {
        assertRejected(
                "sites:\n  - origins: []\n",
                "strata.yaml:2: sites[0].origins: empty (expected: a list of origin URLs, e.g. [http://127.0.0.1:8000])");
    }

    @Test
    void siteWithNoHostsIsRejected() {
        assertRejected(
                "sites:\n  - hosts: []\n    origins: [http://127.0.0.1:8000]\n",
                "strata.yaml:2: sites[0].hosts: empty (expected: at least one host name or *, e.g. [www.example.com])");
    }

    @Test
    void badHostName() {
        assertRejected(
                "sites:\n  - hosts: [\"www example.com\"]\n    origins: [http://127.0.0.1:8000]\n",
                "strata.yaml:2: sites[0].hosts[0]: \"www example.com\" is not a host name"
                        + " (expected: e.g. www.example.com, *.example.com or *)");
    }

    @Test
    void twoSitesWithOneNameAreRejected() {
        assertRejected(
                """
        sites:
          - name: static
            origins: [http://127.0.0.1:8000]
          - name: static
            origins: [http://127.0.0.1:8001]
        """,
                "strata.yaml:4: sites[1].name: \"static\" is already the name of sites[0] (expected: a unique name)");
    }

    @Test
    void badListenAddress() {
        assertRejected(
                "admin:\n  listen: localhost\n",
                "strata.yaml:2: admin.listen: \"localhost\" is not a listen address"
                        + " (expected: HOST:PORT, e.g. 127.0.0.1:8080)");
    }

    @Test
    void badNodeName() {
        assertRejected(
                "node:\n  name: my node\n",
                "strata.yaml:2: node.name: \"my node\" is not a node name"
                        + " (expected: letters, digits, '.', '_' or '-', at most 63)");
    }

    @Test
    void badCidr() {
        assertRejected(
                """
        waf:
          enabled: true
          allow: [10.0.0.0/8, "2001:db8::/32"]
          deny:
            - 192.168.0.0/16
            - 10.0.0.0/33
        """,
                "strata.yaml:6: waf.deny[1]: \"10.0.0.0/33\" is not a network (expected: CIDR, e.g. 10.0.0.0/8)");
    }

    @Test
    void badQueryParameterPattern() {
        assertRejected(
                "sites:\n  - origins: [http://127.0.0.1:8000]\n    cache:\n      drop-query-params: [\"*_id\"]\n",
                "strata.yaml:4: sites[0].cache.drop-query-params[0]: \"*_id\" is not a query parameter name"
                        + " (expected: e.g. fbclid or utm_*)");
    }

    @Test
    void valueTheRecordRejectsIsReportedAtItsKey() {
        assertRejected(
                """
        sites:
          - origins: [http://127.0.0.1:8000]
            cache:
              heuristic-fraction: 1.5
        """,
                "strata.yaml:4: sites[0].cache.heuristic-fraction: \"1.5\" is out of range (expected: 0 to 1)");
    }

    @Test
    void zeroTimeoutIsOutOfRange() {
        assertRejected(
                "edge:\n  upstream:\n    response-timeout: 0s\n",
                "strata.yaml:3: edge.upstream.response-timeout: \"0s\" is out of range (expected: > 0)");
    }

    @Test
    void duplicateKeyNamesBothLines() {
        assertRejected(
                """
        edge:
          listen: 127.0.0.1:8080
          cache:
            memory: 64MiB
          listen: 127.0.0.1:8081
        """,
                "strata.yaml:5: edge.listen: duplicate key (first on line 2)");
    }

    @Test
    void invalidYamlGivesTheParsersProblem() {
        assertRejected(
                """
        edge:
          listen: 127.0.0.1:8080
         cache: {}
        """,
                "strata.yaml:3: not valid YAML: expected <block end>, but found '<block mapping start>'");
    }

    @Test
    void tabIndentationIsInvalidYaml() {
        assertRejected(
                "edge:\n\tlisten: 127.0.0.1:8080\n",
                "strata.yaml:2: not valid YAML: found character '\\t(TAB)' that cannot start any token."
                        + " (Do not use \\t(TAB) for indentation)");
    }

    @Test
    void secondDocumentIsRejected() {
        assertRejected(
                "node:\n  name: a\n---\nnode:\n  name: b\n",
                "strata.yaml:3: more than one YAML document (expected: one)");
    }

    @Test
    void anchorsAreRejected() {
        assertRejected(
                """
        sites:
          - origins: &o [http://127.0.0.1:8000]
          - origins: *o
        """,
                "strata.yaml:2: sites[0].origins: anchors and aliases are not supported (expected: plain values)");
    }

    @Test
    void hugeDocumentIsRejected() {
        String yaml = "# " + "x".repeat(YamlParser.MAX_SIZE) + "\n";
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "strata.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("strata.yaml: too large (expected: at most 1MiB)");
    }

    @Test
    void deepNestingIsRejected() {
        String yaml = "[".repeat(1000) + "]".repeat(1000);
        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "strata.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("strata.yaml");
    }

    @Test
    void missingFileCannotBeRead(@TempDir Path dir) {
        Path file = dir.resolve("strata.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot read (no such file)");
    }

    @Test
    void directoryCannotBeRead(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(dir + ": cannot read (is a directory)");
    }

    @Test
    void fileThatIsNotUtf8CannotBeRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("strata.yaml");
        Files.write(file, new byte[] {'a', ':', ' ', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ": cannot read (not UTF-8 text)");
    }

    @Test
    void errorInAFileNamesTheFileAsGiven(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("edge.yaml");
        Files.writeString(file, "edge:\n  cache:\n    memory: 64XB\n", java.nio.charset.StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ConfigLoader.load(file))
                .isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: edge.cache.memory: \"64XB\" is not a size (expected: e.g. 512MiB)");
    }

    @Test
    void badOverrideIsReportedFromTheCommandLine() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("edge.listen", "foo")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("command line: edge.listen: \"foo\" is not a listen address"
                        + " (expected: HOST:PORT, e.g. 127.0.0.1:8080)");
    }

    @Test
    void badOverrideListItemIsReportedFromTheCommandLine() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("edge.shields", List.of("http://a:1", "b"))))
                .isInstanceOf(ConfigException.class)
                .hasMessage("command line: edge.shields[1]: \"b\" is not an http(s) URL"
                        + " (expected: e.g. http://127.0.0.1:8000)");
    }

    @Test
    void misspelledOverrideSuggestsTheKey() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("edge.lisen", "127.0.0.1:80")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("command line: edge.lisen: unknown key (did you mean \"listen\"?)");
    }

    @Test
    void sitesCannotBeOverridden() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("sites", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("command line: sites: cannot be set on the command line"
                        + " (expected: sites in a configuration file)");
    }

    @Test
    void malformedOverrideKeyIsRejected() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of("edge..listen", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("command line: edge..listen: not a key path (expected: dotted keys, e.g. edge.listen)");
    }
}
