package dev.strata.purge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.config.CachePolicyConfig;
import dev.strata.config.ListenAddress;
import dev.strata.config.PurgeApiConfig;
import dev.strata.config.PurgeTokenConfig;
import dev.strata.config.SiteConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purge API on a real listener and a real RocksDB log: auth, validation, idempotency, status, log. */
class PurgeApiIT {
    static final String ADMIN = "admin-token-0123456789";
    static final String SHOP = "shop-token-0123456789";
    static final String READER = "reader-token-0123456789";

    @TempDir
    @SuppressWarnings("NullAway.Init")
    Path dir;

    @SuppressWarnings("NullAway.Init")
    private PurgeApiServer server;

    private final HttpClient http = HttpClient.newHttpClient();

    static List<SiteConfig> sites() {
        URI origin = URI.create("http://127.0.0.1:9");
        return List.of(
                new SiteConfig("shop", List.of("shop.example.com"), List.of(origin), CachePolicyConfig.defaults()),
                new SiteConfig("blog", List.of("*.blog.example.com"), List.of(origin), CachePolicyConfig.defaults()));
    }

    static PurgeApiConfig config(Path dir) {
        return new PurgeApiConfig(ListenAddress.of("127.0.0.1", 0), dir.resolve("log"))
                .withTokens(List.of(
                        new PurgeTokenConfig("admin", Tokens.sha256Hex(ADMIN), List.of("*"), List.of("purge", "read")),
                        new PurgeTokenConfig("shop", Tokens.sha256Hex(SHOP), List.of("shop"), List.of("purge", "read")),
                        new PurgeTokenConfig("reader", Tokens.sha256Hex(READER), List.of("*"), List.of("read"))));
    }

    @BeforeEach
    void start() {
        server = PurgeApiServer.start(config(dir), sites(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String token, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri().resolve(path));
        if (!token.isEmpty()) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return PurgeJson.parse(response.body());
    }

    /** Asserts a problem document with {@code status}, and returns it. */
    private static JsonNode problem(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        JsonNode problem = json(response);
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotEmpty();
        assertThat(problem.path("detail").asText()).isNotEmpty();
        return problem;
    }

    @Test
    void aPurgeIsAcceptedWithItsIdAndSequence() throws Exception {
        HttpResponse<String> first = post("/v1/purge", ADMIN, "{\"urls\":[\"https://shop.example.com/a.css\"]}");
        HttpResponse<String> second = post("/v1/purge", ADMIN, "{\"tags\":[\"catalog\"],\"soft\":true}");

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        assertThat(json(first).path("seq").asLong()).isEqualTo(1);
        assertThat(json(second).path("seq").asLong()).isEqualTo(2);
        String id = json(first).path("id").asText();
        assertThat(first.headers().firstValue("Location")).hasValue("/v1/purge/" + id);
        JsonNode status = json(get("/v1/purge/" + id, READER));
        assertThat(status.path("kind").asText()).isEqualTo("urls");
        assertThat(status.path("targets").get(0).asText()).isEqualTo("https://shop.example.com/a.css");
        assertThat(status.path("sites").get(0).asText()).isEqualTo("shop");
        assertThat(status.path("by").asText()).isEqualTo("admin");
    }

    @Test
    void requestsWithoutAValidTokenAre401ProblemDocuments() throws Exception {
        String body = "{\"all\":true}";

        HttpResponse<String> missing = post("/v1/purge", "", body);
        HttpResponse<String> invalid = post("/v1/purge", "not-a-token", body);
        HttpResponse<String> nodes = get("/v1/nodes", "");

        assertThat(problem(missing, 401).path("detail").asText()).contains("missing bearer token");
        assertThat(missing.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(problem(invalid, 401).path("detail").asText()).contains("not valid");
        problem(nodes, 401);
        assertThat(server.purgeLog().lastSeq()).isZero();
    }

    @Test
    void tokensAreScopedBySiteAndAction() throws Exception {
        HttpResponse<String> readerPurges = post("/v1/purge", READER, "{\"all\":true}");
        HttpResponse<String> shopPurgesBlog =
                post("/v1/purge", SHOP, "{\"urls\":[\"https://www.blog.example.com/x\"]}");
        HttpResponse<String> shopPurgesEverything = post("/v1/purge", SHOP, "{\"all\":true}");
        HttpResponse<String> shopPurgesTags = post("/v1/purge", SHOP, "{\"tags\":[\"t\"]}");
        HttpResponse<String> shopPurgesShop = post("/v1/purge", SHOP, "{\"prefixes\":[\"shop.example.com/img/\"]}");
        HttpResponse<String> shopPurgesItsSite = post("/v1/purge", SHOP, "{\"all\":true,\"site\":\"shop\"}");

        assertThat(problem(readerPurges, 403).path("detail").asText()).contains("may not purge");
        assertThat(problem(shopPurgesBlog, 403).path("detail").asText()).contains("site \"blog\"");
        problem(shopPurgesEverything, 403);
        problem(shopPurgesTags, 403);
        assertThat(shopPurgesShop.statusCode()).as(shopPurgesShop.body()).isEqualTo(202);
        assertThat(shopPurgesItsSite.statusCode()).as(shopPurgesItsSite.body()).isEqualTo(202);
        List<PurgeEntry> entries = server.purgeLog().after(0, 10);
        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).request().targets()).containsExactly("shop.example.com/img");
        assertThat(entries.get(1).request().kind()).isEqualTo(PurgeRequest.Kind.PREFIXES);
        assertThat(entries.get(1).request().targets()).containsExactly("shop.example.com/");
        String blogId = json(post("/v1/purge", ADMIN, "{\"urls\":[\"http://a.blog.example.com/x\"]}"))
                .path("id")
                .asText();
        problem(get("/v1/purge/" + blogId, SHOP), 403);
    }

    @Test
    void invalidInputIs400NamingTheField() throws Exception {
        String tooMany = IntStream.range(0, 1001)
                .mapToObj(i -> "\"https://shop.example.com/" + i + "\"")
                .collect(Collectors.joining(",", "{\"urls\":[", "]}"));

        assertThat(problem(post("/v1/purge", ADMIN, "{\"urls\":[\"https://shop.example.com/ok\",\"not a url\"]}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("urls[1]");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"urls\":[\"ftp://shop.example.com/x\"]}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("urls[0]");
        assertThat(problem(post("/v1/purge", ADMIN, tooMany), 400).path("field").asText())
                .isEqualTo("urls");
        JsonNode unknownSite = problem(post("/v1/purge", ADMIN, "{\"all\":true,\"site\":\"nope\"}"), 400);
        assertThat(unknownSite.path("field").asText()).isEqualTo("site");
        assertThat(unknownSite.path("detail").asText()).contains("unknown site \"nope\"");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"urls\": [\"https://shop.example.com/x\""), 400)
                        .path("field")
                        .asText())
                .isEqualTo("(body)");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"url\":[\"https://shop.example.com/x\"]}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("url");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"urls\":[]}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("urls");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"urls\":[\"https://x.example.org/a\"],\"site\":\"shop\"}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("urls[0]");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"tags\":[\"a b\"]}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("tags[0]");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"tags\":[\"a\"],\"all\":true}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("all");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"all\":true,\"site\":\"blog\"}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("site");
        assertThat(problem(post("/v1/purge", ADMIN, "{\"all\":true,\"soft\":\"yes\"}"), 400)
                        .path("field")
                        .asText())
                .isEqualTo("soft");
        assertThat(server.purgeLog().lastSeq()).isZero();
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheFirstPurgeWithoutAppendingAgain() throws Exception {
        String body = "{\"prefixes\":[\"https://shop.example.com/news\"]}";

        HttpResponse<String> first = post("/v1/purge", ADMIN, body, "Idempotency-Key", "k-1");
        HttpResponse<String> again = post("/v1/purge", ADMIN, body, "Idempotency-Key", "k-1");
        HttpResponse<String> otherBody = post("/v1/purge", ADMIN, "{\"all\":true}", "Idempotency-Key", "k-1");
        HttpResponse<String> otherKey = post("/v1/purge", ADMIN, body, "Idempotency-Key", "k-2");

        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).path("id").asText())
                .isEqualTo(json(first).path("id").asText());
        assertThat(json(again).path("seq").asLong()).isEqualTo(1);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(first.headers().firstValue("Idempotent-Replayed")).isEmpty();
        assertThat(problem(otherBody, 422).path("field").asText()).isEqualTo("Idempotency-Key");
        assertThat(json(otherKey).path("seq").asLong()).isEqualTo(2);
        assertThat(server.purgeLog().lastSeq()).isEqualTo(2);
        assertThat(server.purgeLog().after(0, 10)).hasSize(2);
    }

    @Test
    void anIdempotencyKeyIsRecognisedAfterARestart() throws Exception {
        String body = "{\"tags\":[\"t1\"]}";
        String id = json(post("/v1/purge", ADMIN, body, "Idempotency-Key", "restart"))
                .path("id")
                .asText();
        server.close();
        server = PurgeApiServer.start(config(dir), sites(), Clock.systemUTC());

        HttpResponse<String> again = post("/v1/purge", ADMIN, body, "Idempotency-Key", "restart");

        assertThat(json(again).path("id").asText()).isEqualTo(id);
        assertThat(server.purgeLog().lastSeq()).isEqualTo(1);
    }

    @Test
    void statusSaysAppliedPendingPerNodeAndNodesShowTheirLag() throws Exception {
        String id1 =
                json(post("/v1/purge", ADMIN, "{\"tags\":[\"a\"]}")).path("id").asText();
        post("/v1/purge", ADMIN, "{\"tags\":[\"b\"]}");
        assertThat(get("/v1/log?node=edge-1&applied=2", "").statusCode()).isEqualTo(200);
        assertThat(get("/v1/log?node=shield-1&applied=0", "").statusCode()).isEqualTo(200);

        JsonNode status = json(get("/v1/purge/" + id1, READER));
        JsonNode nodes = json(get("/v1/nodes", READER));

        assertThat(status.path("nodes").findValuesAsText("status")).containsExactly("applied", "pending");
        assertThat(status.path("complete").asBoolean()).isFalse();
        assertThat(nodes.path("lastSeq").asLong()).isEqualTo(2);
        assertThat(nodes.path("nodes").findValuesAsText("name")).containsExactly("edge-1", "shield-1");
        assertThat(nodes.path("nodes").findValues("lag").stream().map(JsonNode::asLong))
                .containsExactly(0L, 2L);

        HttpResponse<String> reported = post("/v1/nodes/shield-1/applied", "", "{\"seq\":2}");
        assertThat(reported.statusCode()).isEqualTo(204);
        JsonNode complete = json(get("/v1/purge/" + id1, READER));
        assertThat(complete.path("complete").asBoolean()).isTrue();
        assertThat(complete.path("completedAt").asText()).isNotEmpty();
    }

    @Test
    void aParkedLogRequestIsAnsweredByTheNextAppend() throws Exception {
        CompletableFuture<HttpResponse<String>> parked = http.sendAsync(
                HttpRequest.newBuilder(server.uri().resolve("/v1/log?after=0&wait=20000"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        post("/v1/purge", ADMIN, "{\"urls\":[\"https://shop.example.com/late.js\"]}");

        HttpResponse<String> answer = parked.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("entries").get(0).path("seq").asLong()).isEqualTo(1);
        assertThat(answer.headers().firstValue("X-Strata-Oldest-Seq")).hasValue("1");
    }

    @Test
    void aParkedNodeListIsAnsweredOnceEveryReachableNodeHasAppliedTheSequence() throws Exception {
        get("/v1/log?node=edge-1&applied=0", "");
        get("/v1/log?node=shield-1&applied=0", "");
        CompletableFuture<HttpResponse<String>> parked = http.sendAsync(
                HttpRequest.newBuilder(server.uri().resolve("/v1/nodes?wait=20000&minApplied=2"))
                        .header("Authorization", "Bearer " + READER)
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        get("/v1/log?node=edge-1&applied=2", "");
        get("/v1/log?node=shield-1&applied=1", "");
        assertThat(parked).as("shield-1 has applied 1 of 2").isNotDone();
        get("/v1/log?node=shield-1&applied=2", "");

        HttpResponse<String> answer = parked.get();
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(json(answer).path("nodes").findValues("appliedSeq").stream().map(JsonNode::asLong))
                .containsExactly(2L, 2L);
    }

    @Test
    void aNodeListAlreadyAtMinAppliedAnswersWithoutWaitingAndBadParametersAre400() throws Exception {
        get("/v1/log?node=edge-1&applied=3", "");

        HttpResponse<String> answer = get("/v1/nodes?wait=20000&minApplied=3", READER);

        assertThat(json(answer).path("nodes").get(0).path("appliedSeq").asLong())
                .isEqualTo(3);
        assertThat(problem(get("/v1/nodes?wait=20000&minApplied=x", READER), 400)
                        .path("field")
                        .asText())
                .isEqualTo("minApplied");
        assertThat(problem(get("/v1/nodes?wait=-1", READER), 400).path("field").asText())
                .isEqualTo("wait");
    }

    @Test
    void purgesBeyondTheAppendPoolAndItsQueueAre503() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RocksPurgeLog rocks = RocksPurgeLog.open(dir.resolve("held"), Clock.systemUTC(), 100, Duration.ofDays(1));
        PurgeLog held = new PurgeLog() {
            @Override
            public Appended append(PurgeRequest request, String by, String idempotencyKey) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return rocks.append(request, by, idempotencyKey);
            }

            @Override
            public List<PurgeEntry> after(long seq, int limit) {
                return rocks.after(seq, limit);
            }

            @Override
            public Optional<PurgeEntry> byId(String id) {
                return rocks.byId(id);
            }

            @Override
            public long lastSeq() {
                return rocks.lastSeq();
            }

            @Override
            public long oldestSeq() {
                return rocks.oldestSeq();
            }

            @Override
            public void onAppend(Runnable listener) {
                rocks.onAppend(listener);
            }

            @Override
            public void close() {
                rocks.close();
            }
        };
        try (PurgeApiServer small =
                PurgeApiServer.start(config(dir.resolve("small")), sites(), Clock.systemUTC(), held, 1, 1)) {
            HttpRequest purge = HttpRequest.newBuilder(small.uri().resolve("/v1/purge"))
                    .header("Authorization", "Bearer " + ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"tags\":[\"t\"]}"))
                    .build();
            CompletableFuture<HttpResponse<String>> writing =
                    http.sendAsync(purge, HttpResponse.BodyHandlers.ofString());
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<HttpResponse<String>> queued =
                    http.sendAsync(purge, HttpResponse.BodyHandlers.ofString());
            await().atMost(Duration.ofSeconds(10)).until(() -> small.queuedAppends() == 1);

            HttpResponse<String> refused = http.send(purge, HttpResponse.BodyHandlers.ofString());

            assertThat(problem(refused, 503).path("detail").asText()).contains("too many purges waiting");
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            release.countDown();
            assertThat(writing.get().statusCode()).isEqualTo(202);
            assertThat(queued.get().statusCode()).isEqualTo(202);
        }
    }

    @Test
    void aLogRequestWithNothingNewAnswersEmptyWithoutWaiting() throws Exception {
        HttpResponse<String> empty = get("/v1/log?after=0", "");

        assertThat(json(empty).path("entries").isEmpty()).isTrue();
        assertThat(empty.headers().firstValue("X-Strata-Oldest-Seq")).hasValue("1");
        assertThat(problem(get("/v1/log?after=-1", ""), 400).path("field").asText())
                .isEqualTo("after");
    }

    @Test
    void theOpenApiDocumentMatchesTheRoutes() throws Exception {
        Path checkedIn = Path.of("src", "main", "resources", "openapi.json");
        JsonNode document = PurgeJson.parse(Files.readAllBytes(checkedIn));
        JsonNode served = json(get("/openapi.json", ""));

        Set<String> documented = new TreeSet<>();
        for (Iterator<String> paths = document.path("paths").fieldNames(); paths.hasNext(); ) {
            String path = paths.next();
            for (Iterator<String> methods = document.path("paths").path(path).fieldNames(); methods.hasNext(); ) {
                documented.add(methods.next().toUpperCase(java.util.Locale.ROOT) + " " + path);
            }
        }
        assertThat(documented).isEqualTo(new TreeSet<>(PurgeApiServer.routes()));
        assertThat(served).isEqualTo(document);
        assertThat(document.path("openapi").asText()).startsWith("3.");
        problem(get("/v1/unknown", ""), 404);
        problem(
                http.send(
                        HttpRequest.newBuilder(server.uri().resolve("/v1/purge"))
                                .DELETE()
                                .build(),
                        HttpResponse.BodyHandlers.ofString()),
                405);
    }
}
