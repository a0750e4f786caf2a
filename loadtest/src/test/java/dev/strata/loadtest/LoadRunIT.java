package dev.strata.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.undertow.Undertow;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Short, bounded runs against real servers on 127.0.0.1; asserts counts, never speed. */
class LoadRunIT {
    private static final int BODY = 2048;

    @SuppressWarnings("NullAway.Init")
    @TempDir
    Path dir;

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(closeLater);
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    /** A server that answers 2 KiB with X-Cache alternating HIT and MISS. */
    private URI alternatingServer(AtomicLong requests) {
        ByteBuffer body = ByteBuffer.wrap(new byte[BODY]).asReadOnlyBuffer();
        HttpString xCache = new HttpString("X-Cache");
        Undertow server = Undertow.builder()
                .setIoThreads(1)
                .addHttpListener(0, "127.0.0.1")
                .setHandler(exchange -> {
                    long n = requests.getAndIncrement();
                    exchange.getResponseHeaders().put(xCache, n % 2 == 0 ? "HIT" : "MISS");
                    exchange.getResponseHeaders().put(Headers.CONTENT_LENGTH, BODY);
                    exchange.getResponseSender().send(body.duplicate());
                })
                .build();
        server.start();
        closeLater.add(server::stop);
        int port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        return URI.create("http://127.0.0.1:" + port + "/hot");
    }

    private HttpTransport transport(int connections) {
        HttpTransport transport = new HttpTransport(connections, 1, Duration.ofSeconds(5));
        closeLater.add(transport);
        return transport;
    }

    @Test
    void closedLoopCountsEveryResponseAndTheHitRatioAndWritesWellFormedReports() throws Exception {
        AtomicLong served = new AtomicLong();
        URI target = alternatingServer(served);
        LoadPlan plan =
                new LoadPlan(target, LoadPlan.Mode.CLOSED, 0, 16, Duration.ofSeconds(10), 2_000, Duration.ofSeconds(5));
        List<LoadRun.Progress> progress = Collections.synchronizedList(new ArrayList<>());

        LoadReport report = new LoadRun(
                        plan, new HotWorkload(target, 1024), transport(16), Ticker.SYSTEM, Clock.systemUTC())
                .run(progress::add);

        assertThat(report.sent()).isEqualTo(2_000);
        assertThat(report.completed()).isEqualTo(2_000);
        assertThat(report.ok()).isEqualTo(2_000);
        assertThat(report.errors()).isEmpty();
        assertThat(served.get()).isEqualTo(2_000);
        assertThat(report.xCache()).containsEntry("HIT", 1_000L).containsEntry("MISS", 1_000L);
        assertThat(report.hitRatio()).isEqualTo(0.5);
        assertThat(report.bytes()).isEqualTo(2_000L * BODY);
        assertThat(report.latency().count()).isEqualTo(2_000);
        assertThat(report.timeline().stream()
                        .mapToLong(LoadReport.Interval::requests)
                        .sum())
                .isEqualTo(2_000);

        Path json = dir.resolve("report.json");
        Files.writeString(json, ReportJson.write(report));
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        assertThat(root.get("completed").asLong()).isEqualTo(2_000);
        assertThat(root.get("hitRatio").asDouble()).isEqualTo(0.5);
        assertThat(root.get("xCache").get("HIT").asLong()).isEqualTo(1_000);
        assertThat(root.get("latency").get("p99").isNumber()).isTrue();
        assertThat(root.get("distribution").isArray()).isTrue();
        assertThat(root.get("timeline").isArray()).isTrue();
        assertThat(root.get("originRequests").isNull()).isTrue();

        Path html = dir.resolve("report.html");
        Files.writeString(html, ReportHtml.write(report), StandardCharsets.UTF_8);
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document page = factory.newDocumentBuilder().parse(html.toFile());
        assertThat(page.getDocumentElement().getLocalName()).isEqualTo("html");
        assertThat(page.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg")
                        .getLength())
                .isEqualTo(3);
        assertThat(page.getElementsByTagNameNS("http://www.w3.org/1999/xhtml", "script")
                        .getLength())
                .isZero();
        assertThat(Files.readString(html)).contains("hit ratio").contains("50.00 %");
    }

    @Test
    void openLoopAgainstAFailingTestOriginCountsItsErrors() throws Exception {
        TestOrigin origin = TestOrigin.start(OriginMode.parse("failing=0.25"));
        closeLater.add(origin);
        URI target = origin.uri();
        LoadPlan plan = new LoadPlan(
                target, LoadPlan.Mode.OPEN, 1_000, 32, Duration.ofSeconds(10), 2_000, Duration.ofSeconds(5));
        ZipfWorkload zipf = new ZipfWorkload(target, new ZipfSampler(100, 1.0), SizeMix.web(1), 1);

        LoadReport report = new LoadRun(plan, zipf, transport(32), Ticker.SYSTEM, Clock.systemUTC())
                .run(null)
                .withOriginRequests(origin.requestCount());

        assertThat(report.sent()).isEqualTo(2_000);
        assertThat(report.completed()).isEqualTo(2_000);
        assertThat(report.errors()).containsOnlyKeys("http-5xx").containsEntry("http-5xx", 500L);
        assertThat(report.ok()).isEqualTo(1_500);
        assertThat(report.originRequests()).isEqualTo(2_000);
        assertThat(report.hitRatio()).isNull();
        assertThat(report.bytes()).isGreaterThan(1_500L * SizeMix.MIN_BYTES);
        assertThat(new ObjectMapper()
                        .readTree(ReportJson.write(report))
                        .get("originRequests")
                        .asLong())
                .isEqualTo(2_000);
    }

    @Test
    void slowTestOriginDelaysEveryResponse() throws Exception {
        TestOrigin origin = TestOrigin.start(OriginMode.parse("slow=50ms"));
        closeLater.add(origin);
        LoadPlan plan = new LoadPlan(
                origin.uri(), LoadPlan.Mode.CLOSED, 0, 8, Duration.ofSeconds(10), 40, Duration.ofSeconds(5));

        LoadReport report = new LoadRun(
                        plan, new HotWorkload(origin.uri(), 4096), transport(8), Ticker.SYSTEM, Clock.systemUTC())
                .run(null);

        assertThat(report.ok()).isEqualTo(40);
        assertThat(report.bytes()).isEqualTo(40 * 4096);
        assertThat(report.latency().p50()).isGreaterThanOrEqualTo(50.0);
    }
}
