package dev.strata.proxy;

import dev.strata.config.ConfigDiff;
import dev.strata.config.ConfigException;
import dev.strata.config.StrataConfig;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads a running node's configuration (SIGHUP, or {@code POST /reload} on the admin listener).
 * The whole configuration is read and validated first; one that is not valid is rejected with its
 * error and the running one stays. A valid one is applied at once for what a running node can change
 * — sites and their routes, origin pools and cache policies, the edge's shields, admission
 * limits, WAF and rate limits, upstream settings, the drain timeout — by {@link ProxyNode#reconfigure}, which swaps them
 * atomically: requests in flight finish with the route and settings they started with, open
 * connections and the cache's contents stay. What only a restart applies (the listen address, the
 * cache, the node's name and purge API, the admin listener) keeps the value the node started with,
 * and every reload names it until the node restarts (as nginx keeps its old listeners). One reload
 * at a time; docs/adr/0010-reload-and-drain.md says why these keys and not others.
 */
final class Reloader {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    private final ProxyNode node;
    private final String role;
    private final ReloadSource source;
    /** Key paths (and everything below them) that a reload applies. */
    private final List<String> live;
    /** Key paths (and everything below them) that only a restart applies. */
    private final List<String> restart;
    /** The configuration applied last. Guarded by {@code this}. */
    private StrataConfig current;

    Reloader(ProxyNode node, String role, ReloadSource source) {
        this.node = node;
        this.role = role;
        this.source = source;
        this.current = source.started();
        List<String> reloadable = new ArrayList<>(List.of("sites", "node.drain-timeout", role + ".upstream"));
        if (role.equals("edge")) {
            reloadable.addAll(List.of(
                    "edge.limits",
                    "edge.shields",
                    "edge.shield-balancer",
                    "edge.shield-health-check",
                    "edge.shield-outlier-detection",
                    "edge.shield-slow-start",
                    "edge.compression",
                    "waf",
                    "rate-limits"));
        }
        this.live = List.copyOf(reloadable);
        this.restart =
                List.of(role + ".listen", role + ".cache", "node.name", "node.purge-api", "node.io-threads", "admin");
    }

    /** Reads the configuration again and applies it, or rejects it; logs what it did. */
    synchronized ReloadResult reload() {
        if (node.isDraining()) {
            return reject("the node is stopping");
        }
        StrataConfig next;
        ProxyNode.Spec spec;
        try {
            next = source.load().get();
            spec = source.spec().apply(next);
        } catch (ConfigException e) {
            return reject(String.valueOf(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("{} {}: reload failed, the running configuration is kept", role, node.name(), e);
            return new ReloadResult.Rejected("cannot apply the configuration: " + e);
        }
        List<String> changed = new ArrayList<>();
        List<String> notRead = new ArrayList<>();
        for (String key : ConfigDiff.changes(current, next)) {
            if (within(live, key)) {
                changed.add(key);
            } else if (!within(restart, key)) {
                notRead.add(key);
            }
        }
        List<String> needsRestart = ConfigDiff.changes(source.started(), next).stream()
                .filter(key -> within(restart, key))
                .toList();
        node.reconfigure(spec);
        current = next;
        ReloadResult.Applied applied = new ReloadResult.Applied(changed, needsRestart, notRead);
        String summary = applied.text().strip().replace("\n", "; ");
        if (needsRestart.isEmpty()) {
            log.info("{} {}: {}", role, node.name(), summary);
        } else {
            log.warn("{} {}: {}", role, node.name(), summary);
        }
        return applied;
    }

    private ReloadResult reject(String reason) {
        log.error("{} {}: reload rejected, the running configuration is kept: {}", role, node.name(), reason);
        return new ReloadResult.Rejected(reason);
    }

    /** Whether {@code key} is one of {@code paths} or below one. */
    private static boolean within(List<String> paths, String key) {
        for (String path : paths) {
            if (key.equals(path) || key.startsWith(path + ".") || key.startsWith(path + "[")) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code POST /reload} on the admin listener: 200 and {@link ReloadResult.Applied#text()}, or 400
     * and the reason of a rejection, as plain text. Reading the file blocks: it runs on a worker
     * thread.
     */
    HttpHandler handler() {
        return new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) {
                if (!exchange.getRequestMethod().equals(Methods.POST)) {
                    exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
                    AdminListener.text(exchange, 405, "405 Method Not Allowed (expected: POST /reload)\n");
                    return;
                }
                if (exchange.isInIoThread()) {
                    exchange.dispatch(this);
                    return;
                }
                ReloadResult result = reload();
                AdminListener.text(exchange, result instanceof ReloadResult.Applied ? 200 : 400, result.text());
            }

            @Override
            public String toString() {
                return "reload";
            }
        };
    }
}
