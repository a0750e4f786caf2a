package dev.strata.proxy;

import dev.strata.config.ConfigLoader;
import dev.strata.config.StrataConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An edge named ams started from YAML like an operator's file, in front of one origin, on
 * 127.0.0.1 with OS-chosen ports and an admin listener, on the tests' clock; {@link #reload} rewrites
 * the file's extra sections and reloads.
 */
final class YamlEdge {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Nodes nodes;
    private final Path dir;
    private final URI origin;
    private volatile String file = "";

    YamlEdge(Nodes nodes, Path dir, URI origin) {
        this.nodes = nodes;
        this.dir = dir;
        this.origin = origin;
    }

    /** The file: the edge, its admin listener, its access log in the test's directory, then {@code extra}. */
    String yaml(String extra) {
        return String.format(
                Locale.ROOT,
                """
                node:
                  name: ams
                edge:
                  listen: 127.0.0.1:0
                  cache:
                    dir: %s
                admin:
                  enabled: true
                  listen: 127.0.0.1:0
                access-log:
                  path: %s
                sites:
                  - name: static
                    origins: [%s]
                %s""",
                dir.resolve("edge-cache"),
                dir.resolve("access.log"),
                origin,
                extra);
    }

    private StrataConfig load() {
        return ConfigLoader.parse(file, "strata.yaml");
    }

    /** Starts the edge with {@code extra} (the {@code waf}, {@code rate-limits} sections) in its file. */
    ProxyNode start(String extra) {
        file = yaml(extra);
        StrataConfig config = load();
        return nodes.track(ProxyNode.start(
                ProxyNode.Spec.forEdge(config, nodes.clock),
                new ReloadSource(config, this::load, next -> ProxyNode.Spec.forEdge(next, nodes.clock))));
    }

    /** Rewrites the file with {@code extra} and reloads {@code edge} from it. */
    ReloadResult reload(ProxyNode edge, String extra) {
        file = yaml(extra);
        return edge.reload();
    }

    /** The access log's path. */
    Path accessLog() {
        return dir.resolve("access.log");
    }

    /** What {@code path} on {@code edge}'s admin listener answers. */
    static String admin(ProxyNode edge, String path) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(edge.adminUri().orElseThrow().resolve(path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /** {@code edge}'s meters as Prometheus scrapes them. */
    static PrometheusText metrics(ProxyNode edge) throws Exception {
        return PrometheusText.parse(admin(edge, "/metrics"));
    }
}
