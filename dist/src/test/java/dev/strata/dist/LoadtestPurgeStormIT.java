package dev.strata.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * {@code strata loadtest --workload purge-storm --with-origin}: a short storm against a CDN of its
 * own (two shields and three edges following a purge API), with cache hits beside it. Asserts that
 * every purge was seen applied on all five nodes and that the reports carry the figures; never how
 * fast.
 */
class LoadtestPurgeStormIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    @Test
    void everyPurgeOfAShortStormIsSeenAppliedOnAllFiveNodesAndReported() throws Exception {
        Path json = dir.resolve("storm.json");
        Path html = dir.resolve("storm.html");

        int status = Main.execute(
                "loadtest",
                "--workload",
                "purge-storm",
                "--with-origin",
                "--rate",
                "200",
                "--requests",
                "100",
                "--duration",
                "30s",
                "--hit-rate",
                "200",
                "--quiet",
                "--json",
                json.toString(),
                "--html",
                html.toString());

        assertThat(status).isZero();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertThat(report.path("scenario").asText()).isEqualTo("purge-storm");
        List<String> nodes = new ArrayList<>();
        report.path("nodes").forEach(node -> nodes.add(node.asText()));
        assertThat(nodes).containsExactly("ams", "nyc", "shield-1", "shield-2", "sin");
        assertThat(report.path("sent").asLong()).isEqualTo(100);
        assertThat(report.path("accepted").asLong()).isEqualTo(100);
        assertThat(report.path("confirmed").asLong())
                .as("seen applied on all five")
                .isEqualTo(100);
        assertThat(report.path("unconfirmed").asLong()).isZero();
        // A long poll that failed is sent again (and reported by cause); no purge may fail.
        report.path("errors").fieldNames().forEachRemaining(kind -> assertThat(kind)
                .as("errors other than a retried watch: " + report.path("errors"))
                .startsWith("watch-"));
        assertThat(report.path("acceptRate").asDouble()).isPositive();
        for (String latency : List.of("propagation", "accept", "fromSend", "endToEnd")) {
            JsonNode summary = report.path(latency);
            assertThat(summary.path("count").asLong()).as(latency).isEqualTo(100);
            for (String field : List.of("p50", "p90", "p99", "p999", "max")) {
                assertThat(summary.path(field).isNumber())
                        .as(latency + "." + field)
                        .isTrue();
            }
            assertThat(summary.path("max").asDouble())
                    .as(latency)
                    .isGreaterThanOrEqualTo(summary.path("p50").asDouble());
        }
        assertThat(report.path("observations").asLong()).isPositive();
        JsonNode hits = report.path("hits");
        assertThat(hits.path("completed").asLong()).as("hits beside the storm").isPositive();
        assertThat(hits.path("errorCount").asLong()).isZero();
        assertThat(hits.path("hitRatio").asDouble())
                .as("purges named none of them")
                .isEqualTo(1.0);

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document page = factory.newDocumentBuilder().parse(html.toFile());
        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(Files.readString(html))
                .contains("propagation (202 to applied on every node)")
                .contains("Cache hits during the storm");
    }
}
