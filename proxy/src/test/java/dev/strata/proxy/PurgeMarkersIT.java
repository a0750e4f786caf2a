package dev.strata.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.cache.store.PurgeMarker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purges applied to a running edge's cache, as the purge API's follower will apply them: a hard
 * purge turns exactly the named entries into misses, a soft one into stale entries refilled by a
 * 304, whatever names them (prefix, surrogate key, URL, everything).
 */
class PurgeMarkersIT {
    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Nodes nodes = new Nodes();
    private final TestOrigin origin = new TestOrigin();

    @AfterEach
    void stop() throws Exception {
        nodes.close();
        origin.close();
    }

    private HttpResponse<String> get(URI base, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String xCache(ProxyNode edge, String path) throws Exception {
        HttpResponse<String> response = get(edge.uri(), path);
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue("X-Cache").orElse("(none)");
    }

    /** Purges on {@code edge} now, then lets a millisecond pass so refills are newer than the purge. */
    private void purge(ProxyNode edge, PurgeMarker marker) {
        edge.cache().purge(marker);
        nodes.clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void aHardPurgeByTagMissesExactlyTheTaggedEntries() throws Exception {
        origin.respond("/p/1", "Cache-Control", "max-age=600", "Surrogate-Key", "product-1 catalog");
        origin.respond("/p/2", "Cache-Control", "max-age=600", "Cache-Tag", "product-2,catalog");
        origin.respond("/home", "Cache-Control", "max-age=600", "Surrogate-Key", "home");
        ProxyNode edge = nodes.edge(dir.resolve("edge"), origin.uri());
        for (String path : new String[] {"/p/1", "/p/2", "/home"}) {
            assertThat(xCache(edge, path)).isEqualTo("MISS");
        }

        purge(edge, PurgeMarker.tag("catalog", nodes.clock.millis(), false));

        assertThat(xCache(edge, "/p/1")).isEqualTo("MISS");
        assertThat(xCache(edge, "/p/2")).isEqualTo("MISS");
        assertThat(xCache(edge, "/home")).isEqualTo("HIT");
        assertThat(xCache(edge, "/p/1"))
                .as("the refill is newer than the purge")
                .isEqualTo("HIT");
        assertThat(origin.count("/p/1")).isEqualTo(2);
        assertThat(origin.count("/home")).isEqualTo(1);
    }

    @Test
    void aSoftPurgeOfAPrefixRefillsThroughA304() throws Exception {
        origin.respond("/news/today", "Cache-Control", "max-age=600", "ETag", "\"n1\"");
        origin.notModified("/news/today", "Cache-Control", "max-age=600", "ETag", "\"n1\"");
        ProxyNode edge = nodes.edge(dir.resolve("edge"), origin.uri());
        assertThat(xCache(edge, "/news/today")).isEqualTo("MISS");
        assertThat(xCache(edge, "/newsletter")).isEqualTo("MISS");

        purge(edge, PurgeMarker.prefix("127.0.0.1", "/news", nodes.clock.millis(), true));

        HttpResponse<String> revalidated = get(edge.uri(), "/news/today");
        assertThat(revalidated.headers().firstValue("X-Cache")).hasValue("REVALIDATED");
        assertThat(revalidated.body()).isEqualTo("GET /news/today #1");
        assertThat(xCache(edge, "/news/today")).isEqualTo("HIT");
        assertThat(xCache(edge, "/newsletter")).as("not under /news").isEqualTo("HIT");
        assertThat(origin.count("/news/today")).isEqualTo(2);
    }

    @Test
    void aHardPurgeOfEverythingSurvivesARestart() throws Exception {
        ProxyNode edge = nodes.edge(dir.resolve("edge"), origin.uri());
        assertThat(xCache(edge, "/a.css")).isEqualTo("MISS");
        purge(edge, PurgeMarker.all(nodes.clock.millis(), false));
        nodes.stop(edge);

        ProxyNode restarted = nodes.edge(dir.resolve("edge"), origin.uri());

        assertThat(xCache(restarted, "/a.css")).isEqualTo("MISS");
        assertThat(xCache(restarted, "/a.css")).isEqualTo("HIT");
        assertThat(origin.count("/a.css")).isEqualTo(2);
    }
}
