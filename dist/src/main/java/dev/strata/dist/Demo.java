package dev.strata.dist;

import static java.util.Objects.requireNonNull;

import dev.strata.config.AccessLogConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.OriginConfig;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.edge.EdgeServer;
import dev.strata.origin.OriginServer;
import dev.strata.origin.SampleSite;
import dev.strata.proxy.ProxyNode;
import dev.strata.purge.PurgeApiServer;
import dev.strata.shield.ShieldServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole CDN on loopback: a generated sample site behind a static origin, two shields, three edges
 * named as PoPs ({@code ams}, {@code nyc}, {@code sin}) and the purge API, each node with its own
 * RocksDB directory under one working directory that {@link #close()} removes.
 *
 * <p>Ports: with base port N, the origin listens on N, the edges on N+1 to N+3, the shields on N+4
 * and N+5 and the purge API on N+6; each edge's and shield's admin listener on its own port + 10
 * (N+11 to N+15). Base port 0 lets the operating system choose every port.
 */
final class Demo implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Demo.class);
    static final List<String> POPS = List.of("ams", "nyc", "sin");
    static final List<String> SHIELDS = List.of("shield-1", "shield-2");

    /** One running node, printed as {@code ROLE NAME URL}. */
    record Node(String role, String name, URI uri) {
        Node {
            requireNonNull(role, "role");
            requireNonNull(name, "name");
            requireNonNull(uri, "uri");
        }

        String line() {
            return role + " " + name + " " + uri;
        }
    }

    private final Path workDir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Node> admins = new ArrayList<>();
    private final List<ProxyNode> edges = new ArrayList<>();
    private final List<ProxyNode> shields = new ArrayList<>();
    private @Nullable OriginServer origin;
    private @Nullable URI purgeApiUri;
    /** The purge API's development token: random per run, configured by its hash, printed. */
    private final String purgeToken = newToken();

    private Demo(Path workDir) {
        this.workDir = workDir;
    }

    /**
     * Generates the sample site in a new temporary directory and starts every node.
     *
     * @param basePort the first port, or 0 for ports chosen by the operating system
     */
    static Demo start(int basePort, Clock clock) {
        return start(basePort, clock, PurgeApiConfig.defaults().requestsPerSecond());
    }

    /**
     * As {@link #start(int, Clock)}, with the purge API's own rate limit at {@code
     * purgeRequestsPerSecond} (a load test of the API raises it).
     */
    static Demo start(int basePort, Clock clock, double purgeRequestsPerSecond) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("strata-demo-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the demo's working directory", e);
        }
        Demo demo = new Demo(workDir);
        try {
            demo.startAll(basePort, clock, purgeRequestsPerSecond);
            return demo;
        } catch (RuntimeException e) {
            demo.close();
            throw e;
        }
    }

    private void startAll(int basePort, Clock clock, double purgeRequestsPerSecond) {
        Path site = workDir.resolve("site");
        try {
            Files.createDirectories(site);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + site, e);
        }
        SampleSite.generate(site);
        origin = OriginServer.start(new OriginConfig(address(basePort, 0), site, "public, max-age=60"), clock);
        started.add(origin);
        nodes.add(new Node("origin", "origin", origin.uri()));

        // The purge API starts first, so every shield and edge catches up with its log before it
        // serves; its line is still printed last.
        PurgeApiServer purge = PurgeApiServer.start(
                new PurgeApiConfig(address(basePort, 6), workDir.resolve("purge-log"))
                        .withTokens(List.of(new PurgeTokenConfig(
                                "demo", sha256Hex(purgeToken), List.of("*"), List.of("purge", "read"))))
                        .withRequestsPerSecond(purgeRequestsPerSecond),
                new Flags()
                        .origins("origin", List.of(origin.uri().toString()))
                        .load(null)
                        .sites(),
                clock);
        started.add(purge);
        List<String> purgeApi = List.of(purge.uri().toString());

        List<String> shieldUrls = new ArrayList<>();
        for (int i = 0; i < SHIELDS.size(); i++) {
            String name = SHIELDS.get(i);
            ProxyNode shield = ShieldServer.start(
                    new Flags()
                            .set("shield.listen", address(basePort, 4 + i))
                            .set("shield.cache.dir", workDir.resolve(name + "-cache"))
                            .set("access-log.path", accessLogs())
                            .set("node.name", name)
                            .set("node.purge-api", purgeApi)
                            .set("admin.enabled", true)
                            .set("admin.listen", address(basePort, 14 + i))
                            .origins("origin", List.of(origin.uri().toString()))
                            .load(null),
                    clock);
            started.add(shield);
            shields.add(shield);
            shieldUrls.add(shield.uri().toString());
            nodes.add(new Node("shield", name, shield.uri()));
            admins.add(new Node("admin", name, shield.adminUri().orElseThrow()));
        }
        for (int i = 0; i < POPS.size(); i++) {
            String pop = POPS.get(i);
            ProxyNode edge = EdgeServer.start(
                    new Flags()
                            .set("edge.listen", address(basePort, 1 + i))
                            .set("edge.shields", shieldUrls)
                            .set("edge.cache.dir", workDir.resolve(pop + "-cache"))
                            .set("access-log.path", accessLogs())
                            .set("node.name", pop)
                            .set("node.purge-api", purgeApi)
                            .set("admin.enabled", true)
                            .set("admin.listen", address(basePort, 11 + i))
                            .load(null),
                    clock);
            started.add(edge);
            edges.add(edge);
            nodes.add(new Node("edge", pop, edge.uri()));
            admins.add(new Node("admin", pop, edge.adminUri().orElseThrow()));
        }
        nodes.add(new Node("purge-api", "purge-api", purge.uri()));
        purgeApiUri = purge.uri();
    }

    /** Every node's access log in the working directory, one file each: {@code logs/edge-ams-access.log}. */
    private Path accessLogs() {
        return workDir.resolve("logs").resolve(AccessLogConfig.ROLE + "-" + AccessLogConfig.NAME + "-access.log");
    }

    private static String newToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** The purge API's development token (purge and read, every site). */
    String purgeToken() {
        return purgeToken;
    }

    /** The purge API's URL. */
    URI purgeApi() {
        return requireNonNull(purgeApiUri, "purgeApi");
    }

    private static ListenAddress address(int basePort, int offset) {
        return ListenAddress.of("127.0.0.1", basePort == 0 ? 0 : basePort + offset);
    }

    /** Every node, in start order: origin, shields, edges, purge API. */
    List<Node> nodes() {
        return List.copyOf(nodes);
    }

    /** The edges, in the order of {@link #POPS}. */
    List<ProxyNode> edges() {
        return List.copyOf(edges);
    }

    List<ProxyNode> shields() {
        return List.copyOf(shields);
    }

    OriginServer origin() {
        return requireNonNull(origin, "origin");
    }

    /** What to print: the node lines, the admin lines, the purge API's token, then curl examples. */
    String banner() {
        StringBuilder text = new StringBuilder();
        for (Node node : nodes) {
            text.append(node.line()).append('\n');
        }
        for (Node admin : admins) {
            text.append(admin.line()).append('\n');
        }
        text.append("purge-token ").append(purgeToken).append('\n');
        URI ams = edges.get(0).uri();
        URI nyc = edges.get(1).uri();
        text.append('\n')
                .append("Try (the first request is a MISS, the next a HIT):\n")
                .append("  curl -i ")
                .append(ams)
                .append("/css/site.css\n")
                .append("  curl -i ")
                .append(ams)
                .append("/css/site.css\n")
                .append("  curl -s -o /dev/null -D - ")
                .append(nyc)
                .append("/img/photo.webp\n")
                .append("  curl -s -o big.bin -w '%{http_code} %{size_download} bytes\\n' ")
                .append(nyc)
                .append("/downloads/big.bin\n")
                .append("  open ")
                .append(ams)
                .append("/ in a browser\n")
                .append("  open ")
                .append(edges.get(0).adminUri().orElseThrow())
                .append("/status in a browser (ams's status page; its metrics at /metrics)\n")
                .append("  curl -i -H 'Authorization: Bearer ")
                .append(purgeToken)
                .append("' -d '{\"urls\":[\"http://127.0.0.1/css/site.css\"]}' ")
                .append(purgeApi())
                .append("/v1/purge\n")
                .append("Access logs: ")
                .append(workDir.resolve("logs"))
                .append(" (one per node: tail -f ")
                .append(edges.get(0).accessLog().orElseThrow().path())
                .append(")\n")
                .append("Data: ")
                .append(workDir)
                .append(" (removed on exit)\n")
                .append("Press Ctrl-C to stop.\n");
        return text.toString();
    }

    /** Stops every node gracefully (edges first), then removes the working directory. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                log.warn("error while stopping a demo node: {}", e.toString());
            }
        }
        started.clear();
        try (Stream<Path> paths = Files.walk(workDir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            log.warn("could not remove the demo's working directory {}: {}", workDir, e.toString());
        }
    }
}
