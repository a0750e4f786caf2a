package dev.strata.dist;

import dev.strata.config.Durations;
import dev.strata.edge.EdgeServer;
import dev.strata.loadtest.ColdStormWorkload;
import dev.strata.loadtest.FixedHead;
import dev.strata.loadtest.HotWorkload;
import dev.strata.loadtest.HttpTransport;
import dev.strata.loadtest.LoadPlan;
import dev.strata.loadtest.LoadReport;
import dev.strata.loadtest.LoadRun;
import dev.strata.loadtest.LoadtestException;
import dev.strata.loadtest.OriginMode;
import dev.strata.loadtest.PurgeApiClient;
import dev.strata.loadtest.PurgePlan;
import dev.strata.loadtest.PurgeReport;
import dev.strata.loadtest.PurgeStorm;
import dev.strata.loadtest.ReportHtml;
import dev.strata.loadtest.ReportJson;
import dev.strata.loadtest.SizeMix;
import dev.strata.loadtest.Targets;
import dev.strata.loadtest.TestOrigin;
import dev.strata.loadtest.Ticker;
import dev.strata.loadtest.UrlsWorkload;
import dev.strata.loadtest.Workload;
import dev.strata.loadtest.ZipfSampler;
import dev.strata.loadtest.ZipfWorkload;
import dev.strata.proxy.ProxyNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code strata loadtest}: the load generator of issue #5, on loopback only. */
@Command(
        name = "loadtest",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Send HTTP/1.1 load over keep-alive connections to a target on this machine (loopback only)"
                    + " and report throughput, latency percentiles, errors, the hit ratio from X-Cache and"
                    + " bytes. A progress line goes to stderr every second, the report to stdout; --json"
                    + " and --html write files. A run stops at --duration or --requests, whichever first.",
            "",
            "Open loop (--rate): requests start on a fixed schedule and latency counts from each one's"
                    + " intended start (corrected for coordinated omission). Closed loop (default): each"
                    + " connection sends its next request when the previous one ended.",
            "",
            "Workloads: hot: one URL (the target, or /obj/hot?size=--size on a target without a path)."
                    + " zipf: Zipf(--zipf-alpha) over --objects URLs /obj/{k}?size=S, S lognormal in"
                    + " 1 KiB-1 MiB with median 16 KiB (on a target with a path: that path with"
                    + " ?obj=k&size=S). cold-storm: --storm-urls fresh URLs, each requested --connections"
                    + " times at once, X-Cache counted per URL. purge-storm: purges at --rate per second"
                    + " (3 URLs, 1 prefix, 1 tag of every 5) to the purge API at --target (with"
                    + " --purge-token), each timed from its 202 to applied on every node; with"
                    + " --with-origin against its own CDN (origin, 2 shields, 3 edges, purge API);"
                    + " --hit-rate adds cache hits during the storm.",
            "",
            "--with-origin starts a test origin (any path, ?size=BYTES, Cache-Control: public,"
                    + " max-age=300) and an edge in front of it on 127.0.0.1 and loads the edge;"
                    + " --origin-only loads the origin itself.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  strata loadtest --target http://127.0.0.1:8081/css/site.css --duration 10s",
            "  strata loadtest --target http://127.0.0.1:8081/css/site.css \\",
            "      --rate 5000 --connections 64",
            "  strata loadtest --with-origin --workload zipf --objects 10000 \\",
            "      --zipf-alpha 0.9 --duration 20s --json zipf.json --html zipf.html",
            "  strata loadtest --with-origin --workload cold-storm --storm-urls 50",
            "  strata loadtest --with-origin --origin-mode slow=200ms --rate 200",
            "  strata loadtest --with-origin --origin-only --origin-mode failing=0.1",
            "  strata loadtest --workload purge-storm --with-origin --rate 1000 --duration 20s \\",
            "      --hit-rate 2000 --json purges.json --html purges.html",
            "  STRATA_PURGE_TOKEN=... strata loadtest --workload purge-storm \\",
            "      --target http://127.0.0.1:8086 --rate 200 --nodes 5",
            "",
            "Exit status: 0 when the run ended (whatever its errors), 1 when it could",
            "not start, 2 for bad arguments or a target that is not on loopback."
        })
final class LoadtestCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(LoadtestCommand.class);
    private static final Duration MAX_DURATION = Duration.ofHours(1);
    private static final String PURGE_STORM = "purge-storm";
    /** The rate limit of the purge API a storm starts for itself: none to speak of. */
    private static final double UNLIMITED = 1e9;
    /** The host the storm's purged URLs and prefixes name. */
    private static final String HOST = "127.0.0.1";
    /** Small sample files of the demo's site that hits during a storm request from every edge. */
    private static final List<String> HIT_PATHS =
            List.of("/css/site.css", "/js/app.js", "/data/catalog.json", "/img/logo.svg", "/robots.txt");

    @Spec
    @SuppressWarnings("NullAway.Init")
    CommandSpec spec;

    @Option(
            names = "--target",
            paramLabel = "URL",
            description = "The http URL to load; its host must resolve to loopback addresses only.")
    @Nullable
    String target;

    @Option(
            names = "--with-origin",
            description = "Start a test origin and an edge in front of it on 127.0.0.1, and load the edge.")
    boolean withOrigin;

    @Option(names = "--origin-only", description = "With --with-origin: load the test origin directly, no edge.")
    boolean originOnly;

    @Option(
            names = "--origin-mode",
            paramLabel = "MODE",
            description = "With --with-origin: fast, slow=DURATION (e.g. slow=200ms) or failing=RATE"
                    + " (e.g. failing=0.1: that fraction of responses are 503). Default: ${DEFAULT-VALUE}.")
    String originMode = "fast";

    @Option(
            names = "--workload",
            paramLabel = "NAME",
            description = "hot, zipf, cold-storm or purge-storm. Default: ${DEFAULT-VALUE}.")
    String workload = "hot";

    @Option(
            names = "--rate",
            paramLabel = "N",
            description = "Open loop at N requests per second (e.g. 5000 or 5000/s).")
    @Nullable
    String rate;

    @Option(names = "--closed", description = "Closed loop (the default without --rate).")
    boolean closed;

    @Option(
            names = "--connections",
            paramLabel = "N",
            description = "Keep-alive connections: the closed loop's concurrency, the open loop's in-flight"
                    + " cap. Default: ${DEFAULT-VALUE}.")
    int connections = 16;

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            description = "The longest the run sends, e.g. 30s (at most 1h). Default: ${DEFAULT-VALUE}.")
    String duration = "10s";

    @Option(
            names = "--warmup",
            paramLabel = "DURATION",
            description = "Run the same loop for this long first and discard the results, so the JIT"
                    + " and the connections are warm (e.g. 5s). Default: ${DEFAULT-VALUE}.")
    String warmup = "0s";

    @Option(
            names = "--requests",
            paramLabel = "N",
            description = "The most requests the run sends. Default: ${DEFAULT-VALUE}.")
    long requests = 1_000_000;

    @Option(
            names = "--zipf-alpha",
            paramLabel = "A",
            description = "zipf: the exponent (0 is uniform). Default: ${DEFAULT-VALUE}.")
    double zipfAlpha = 1.0;

    @Option(names = "--objects", paramLabel = "N", description = "zipf: how many objects. Default: ${DEFAULT-VALUE}.")
    int objects = 10_000;

    @Option(
            names = "--storm-urls",
            paramLabel = "K",
            description = "cold-storm: how many fresh URLs. Default: ${DEFAULT-VALUE}.")
    int stormUrls = 20;

    @Option(
            names = "--size",
            paramLabel = "BYTES",
            description = "hot and cold-storm on the test origin: the body size. Default: ${DEFAULT-VALUE}.")
    int size = 1024;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "zipf: the seed of ranks and sizes. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            description = "Per request (connect, response), and the longest wait for requests in flight at"
                    + " the end. Default: ${DEFAULT-VALUE}.")
    String timeout = "10s";

    @Option(
            names = "--io-threads",
            paramLabel = "N",
            description = "The client's I/O threads. Default: ${DEFAULT-VALUE}.")
    int ioThreads = 1;

    @Option(
            names = "--purge-token",
            paramLabel = "TOKEN",
            defaultValue = "${env:STRATA_PURGE_TOKEN}",
            description = "purge-storm with --target: a bearer token that may purge and read every site"
                    + " (default: the environment variable STRATA_PURGE_TOKEN).")
    @Nullable
    String purgeToken;

    @Option(
            names = "--nodes",
            paramLabel = "N",
            description = "purge-storm: wait for at least N nodes following the log before the storm; every"
                    + " node reachable then must apply each purge. Default: any (5 with --with-origin).")
    int nodes;

    @Option(
            names = "--hit-rate",
            paramLabel = "N",
            description = "purge-storm: also send N cache requests per second (open loop) during the storm, to"
                    + " the edges' sample files with --with-origin, else to --hit-target. Default: none.")
    double hitRate;

    @Option(
            names = "--hit-target",
            paramLabel = "URL",
            description = "purge-storm with --target and --hit-rate: a URL of a cached object (repeatable).")
    List<String> hitTargets = new ArrayList<>();

    @Option(names = "--json", paramLabel = "FILE", description = "Write the report as JSON.")
    @Nullable
    Path json;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the report as a self-contained HTML page.")
    @Nullable
    Path html;

    @Option(names = "--quiet", description = "No progress line.")
    boolean quiet;

    @Option(
            names = "--serve-origin",
            description = "Only serve the test origin (--origin-mode) on 127.0.0.1 until stopped, printing"
                    + " 'origin test URL': a bare Undertow server answering from one in-memory body, the"
                    + " ceiling loadtest/compare.sh measures Strata against.")
    boolean serveOrigin;

    @Option(
            names = "--head",
            paramLabel = "FILE",
            description = "With --serve-origin: send these header fields, one 'Name: value' per line as curl -sI"
                    + " prints them, instead of Cache-Control and Content-Type (compare.sh's ceiling with"
                    + " the head of a Strata hit).")
    @Nullable
    Path head;

    @Override
    public Integer call() throws Exception {
        if (serveOrigin) {
            UntilStopped until = UntilStopped.install();
            OriginMode mode = originMode();
            FixedHead fields = head == null ? null : FixedHead.read(head);
            TestOrigin server =
                    until.starting(() -> fields == null ? TestOrigin.start(mode) : TestOrigin.start(mode, fields));
            Terminal.out().println("origin test " + server.uri());
            Terminal.out().flush();
            return until.run(server);
        }
        if (head != null) {
            throw bad("--head needs --serve-origin");
        }
        Duration runFor = duration("--duration", duration);
        Duration perRequest = duration("--timeout", timeout);
        Duration warmFor =
                warmup.trim().equals("0") || warmup.trim().equals("0s") ? Duration.ZERO : duration("--warmup", warmup);
        if (runFor.compareTo(MAX_DURATION) > 0) {
            throw bad("--duration: " + duration + " (expected: at most 1h)");
        }
        if (warmFor.compareTo(MAX_DURATION) > 0) {
            throw bad("--warmup: " + warmup + " (expected: at most 1h)");
        }
        check(connections >= 1 && connections <= 100_000, "--connections: " + connections + " (expected: 1 to 100000)");
        check(requests >= 1, "--requests: " + requests + " (expected: >= 1)");
        check(ioThreads >= 1 && ioThreads <= 64, "--io-threads: " + ioThreads + " (expected: 1 to 64)");
        if (workload.toLowerCase(Locale.ROOT).equals(PURGE_STORM)) {
            return purgeStorm(runFor, perRequest, warmFor);
        }
        if (nodes != 0 || hitRate != 0 || !hitTargets.isEmpty()) {
            throw bad("--nodes, --hit-rate and --hit-target need --workload purge-storm");
        }
        LoadPlan.Mode mode = mode();
        double perSecond = mode == LoadPlan.Mode.OPEN ? parseRate() : 0;
        check(size >= 0 && size <= 8 * SizeMix.MAX_BYTES, "--size: " + size + " (expected: 0 to 8388608)");
        OriginMode origin = originMode();
        checkWorkload();
        if (withOrigin == (target != null)) {
            throw bad("give either --target URL or --with-origin (expected: exactly one)");
        }
        if (!withOrigin && (originOnly || !originMode.equals("fast"))) {
            throw bad("--origin-only and --origin-mode need --with-origin");
        }

        List<AutoCloseable> started = new ArrayList<>();
        @Nullable Path cacheDir = null;
        try {
            URI url;
            TestOrigin testOrigin = null;
            if (withOrigin) {
                testOrigin = TestOrigin.start(origin);
                started.add(testOrigin);
                Terminal.err().println("loadtest: test origin " + testOrigin.uri() + " (" + origin + ")");
                if (originOnly) {
                    url = URI.create(testOrigin.uri() + "/");
                } else {
                    cacheDir = Files.createTempDirectory("strata-loadtest-");
                    ProxyNode edge = EdgeServer.start(
                            new Flags()
                                    .set("edge.listen", "127.0.0.1:0")
                                    .set("edge.cache.dir", cacheDir.resolve("edge-cache"))
                                    // Logged like a production edge, into the run's own directory.
                                    .set("access-log.path", cacheDir.resolve("access.log"))
                                    .set("node.name", "loadtest")
                                    .origins("origin", List.of(testOrigin.uri().toString()))
                                    .load(null),
                            Clock.systemUTC());
                    started.add(edge);
                    url = URI.create(edge.uri() + "/");
                    Terminal.err().println("loadtest: edge " + edge.uri());
                }
            } else {
                try {
                    url = Targets.requireLoopback(requireTarget());
                } catch (LoadtestException e) {
                    throw bad(String.valueOf(e.getMessage()));
                }
            }
            Workload load = workload(url);
            LoadPlan plan = new LoadPlan(url, mode, perSecond, connections, runFor, requests, perRequest);
            LoadReport report;
            long originBefore = 0;
            try (HttpTransport transport = new HttpTransport(connections, ioThreads, perRequest)) {
                if (!warmFor.isZero()) {
                    Terminal.err().println("loadtest: warming up for " + Durations.format(warmFor));
                    LoadPlan warm =
                            new LoadPlan(url, mode, perSecond, connections, warmFor, Long.MAX_VALUE, perRequest);
                    new LoadRun(warm, workload(url), transport, Ticker.SYSTEM, Clock.systemUTC()).run(null);
                }
                originBefore = testOrigin == null ? 0 : testOrigin.requestCount();
                report = new LoadRun(plan, load, transport, Ticker.SYSTEM, Clock.systemUTC())
                        .run(quiet ? null : p -> Terminal.err().println(p.line()));
            }
            if (testOrigin != null) {
                report = report.withOriginRequests(testOrigin.requestCount() - originBefore);
            }
            LoadReport done = report;
            return print(done.summary(), () -> ReportJson.write(done), () -> ReportHtml.write(done));
        } finally {
            stopAll(started);
            if (cacheDir != null) {
                delete(cacheDir);
            }
        }
    }

    /** {@code --workload purge-storm}: the purge API under a storm, against the given API or a CDN of its own. */
    private int purgeStorm(Duration runFor, Duration perRequest, Duration warmFor) throws Exception {
        if (rate == null || closed) {
            throw bad("--workload purge-storm sends purges at a constant rate (expected: --rate N, not --closed)");
        }
        double perSecond = parseRate();
        check(perSecond <= 1_000_000, "--rate: " + rate + " (expected: at most 1000000 purges per second)");
        check(nodes >= 0 && nodes <= 10_000, "--nodes: " + nodes + " (expected: 0 to 10000)");
        check(hitRate >= 0 && hitRate <= 10_000_000, "--hit-rate: " + hitRate + " (expected: 0 to 10000000)");
        if (withOrigin == (target != null)) {
            throw bad("give either --target URL (the purge API) or --with-origin (expected: exactly one)");
        }
        if (originOnly || !originMode.equals("fast")) {
            throw bad("--origin-only and --origin-mode do not apply to --workload purge-storm");
        }
        if (withOrigin && !hitTargets.isEmpty()) {
            throw bad("--hit-target needs --target: with --with-origin the hits go to the edges");
        }
        if (!withOrigin && hitRate > 0 && hitTargets.isEmpty()) {
            throw bad("--hit-rate with --target needs --hit-target URL (expected: a cached object's URL)");
        }
        List<AutoCloseable> started = new ArrayList<>();
        try {
            URI api;
            String token;
            int mustApply;
            List<URI> hitUrls = new ArrayList<>();
            if (withOrigin) {
                Demo demo = Demo.start(0, Clock.systemUTC(), UNLIMITED);
                started.add(demo);
                api = demo.purgeApi();
                token = demo.purgeToken();
                mustApply = nodes == 0 ? Demo.POPS.size() + Demo.SHIELDS.size() : nodes;
                for (ProxyNode edge : demo.edges()) {
                    HIT_PATHS.forEach(path -> hitUrls.add(URI.create(edge.uri() + path)));
                }
                Terminal.err()
                        .println("loadtest: purge API " + api + "; shields " + uris(demo.shields()) + "; edges "
                                + uris(demo.edges()) + "; origin "
                                + demo.origin().uri());
            } else {
                try {
                    api = Targets.requireLoopback(requireTarget());
                    for (String hit : hitTargets) {
                        hitUrls.add(Targets.requireLoopback(hit));
                    }
                } catch (LoadtestException e) {
                    throw bad(String.valueOf(e.getMessage()));
                }
                if (purgeToken == null || purgeToken.isBlank()) {
                    throw bad("--purge-token: missing (expected: a token that may purge and read every site, or"
                            + " STRATA_PURGE_TOKEN)");
                }
                token = purgeToken;
                mustApply = nodes;
            }
            String runId = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
            PurgePlan plan = new PurgePlan(api, perSecond, connections, runFor, requests, perRequest, mustApply, HOST);
            PurgeReport report;
            try (PurgeApiClient client = new PurgeApiClient(api, token, connections, perRequest);
                    HttpTransport hits = new HttpTransport(connections, ioThreads, perRequest)) {
                if (!hitUrls.isEmpty()) {
                    // Twice each, so the storm's hits find every object cached on every edge.
                    new LoadRun(
                                    new LoadPlan(
                                            hitUrls.get(0),
                                            LoadPlan.Mode.CLOSED,
                                            0,
                                            1,
                                            perRequest,
                                            2L * hitUrls.size(),
                                            perRequest),
                                    new UrlsWorkload(hitUrls),
                                    hits,
                                    Ticker.SYSTEM,
                                    Clock.systemUTC())
                            .run(null);
                }
                if (!warmFor.isZero()) {
                    Terminal.err().println("loadtest: warming up for " + Durations.format(warmFor));
                    PurgePlan warm = new PurgePlan(
                            api, perSecond, connections, warmFor, Long.MAX_VALUE, perRequest, mustApply, HOST);
                    new PurgeStorm(warm, client, Ticker.SYSTEM, Clock.systemUTC(), runId + "w")
                            .run(null, hitRun(hitUrls, warmFor, perRequest, hits));
                }
                report = new PurgeStorm(plan, client, Ticker.SYSTEM, Clock.systemUTC(), runId)
                        .run(
                                quiet ? null : p -> Terminal.err().println(p.line()),
                                hitRun(hitUrls, stormTime(runFor, perSecond), perRequest, hits));
            }
            PurgeReport done = report;
            return print(done.summary(), () -> ReportJson.write(done), () -> ReportHtml.write(done));
        } finally {
            stopAll(started);
        }
    }

    /** Prints the summary, writes {@code --json} and {@code --html}; the exit status. */
    private int print(String summary, Supplier<String> jsonReport, Supplier<String> htmlReport) throws IOException {
        Terminal.out().print(summary);
        Terminal.out().flush();
        if (json != null) {
            Files.writeString(json, jsonReport.get(), StandardCharsets.UTF_8);
            Terminal.err().println("loadtest: wrote " + json);
        }
        if (html != null) {
            Files.writeString(html, htmlReport.get(), StandardCharsets.UTF_8);
            Terminal.err().println("loadtest: wrote " + html);
        }
        return 0;
    }

    /** Closes what a run started, last first. */
    private static void stopAll(List<AutoCloseable> started) {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("error while stopping: {}", e.toString());
            }
        }
    }

    /** How long a storm sends: {@code runFor}, or less when {@code --requests} purges take less. */
    private Duration stormTime(Duration runFor, double perSecond) {
        Duration forRequests = Duration.ofNanos((long) Math.ceil(requests / perSecond * 1e9));
        return forRequests.compareTo(runFor) < 0 ? forRequests : runFor;
    }

    /** The cache traffic beside a storm: {@code --hit-rate} per second over {@code urls}; null for none. */
    private @Nullable LoadRun hitRun(List<URI> urls, Duration runFor, Duration perRequest, HttpTransport transport) {
        if (hitRate <= 0 || urls.isEmpty()) {
            return null;
        }
        LoadPlan plan =
                new LoadPlan(urls.get(0), LoadPlan.Mode.OPEN, hitRate, connections, runFor, Long.MAX_VALUE, perRequest);
        return new LoadRun(plan, new UrlsWorkload(urls), transport, Ticker.SYSTEM, Clock.systemUTC());
    }

    private static String uris(List<ProxyNode> nodes) {
        return nodes.stream().map(node -> node.uri().toString()).toList().toString();
    }

    private String requireTarget() {
        if (target == null) {
            throw bad("--target: missing");
        }
        return target;
    }

    private LoadPlan.Mode mode() {
        if (rate != null && closed) {
            throw bad("--rate and --closed exclude each other (expected: one of them)");
        }
        return rate != null ? LoadPlan.Mode.OPEN : LoadPlan.Mode.CLOSED;
    }

    private double parseRate() {
        String text = String.valueOf(rate).trim();
        String number = text.endsWith("/s") ? text.substring(0, text.length() - 2) : text;
        try {
            double value = Double.parseDouble(number);
            if (value > 0 && value <= 10_000_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad("--rate: " + text + " (expected: requests per second, e.g. 5000 or 5000/s, up to 10000000)");
    }

    private OriginMode originMode() {
        try {
            return OriginMode.parse(originMode);
        } catch (IllegalArgumentException e) {
            throw bad("--origin-mode: " + e.getMessage());
        }
    }

    /** Checks the workload's flags before anything starts. */
    private void checkWorkload() {
        switch (workload.toLowerCase(Locale.ROOT)) {
            case "hot" -> {}
            case "zipf" -> {
                check(objects >= 1 && objects <= 10_000_000, "--objects: " + objects + " (expected: 1 to 10000000)");
                check(zipfAlpha >= 0 && zipfAlpha <= 10, "--zipf-alpha: " + zipfAlpha + " (expected: 0 to 10)");
            }
            case "cold-storm" -> check(
                    stormUrls >= 1 && stormUrls <= 100_000, "--storm-urls: " + stormUrls + " (expected: 1 to 100000)");
            default -> throw bad("--workload: " + workload + " (expected: hot, zipf, cold-storm or purge-storm)");
        }
    }

    private Workload workload(URI url) {
        switch (workload.toLowerCase(Locale.ROOT)) {
            case "hot":
                return new HotWorkload(url, size);
            case "zipf":
                return new ZipfWorkload(url, new ZipfSampler(objects, zipfAlpha), SizeMix.web(seed), seed);
            case "cold-storm":
                String token = Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
                return new ColdStormWorkload(url, stormUrls, connections, token, size);
            default:
                throw bad("--workload: " + workload + " (expected: hot, zipf or cold-storm)");
        }
    }

    private Duration duration(String flag, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw bad(flag + ": " + text + " (expected: more than 0)");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw bad(flag + ": " + e.getMessage());
        }
    }

    private void check(boolean ok, String message) {
        if (!ok) {
            throw bad(message);
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static void delete(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("could not remove {}: {}", dir, e.toString());
        }
    }
}
