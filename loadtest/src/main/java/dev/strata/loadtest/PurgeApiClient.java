package dev.strata.loadtest;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpVersion;
import org.jspecify.annotations.Nullable;

/**
 * The purge API over HTTP for a {@link PurgeStorm}: {@code POST /v1/purge} on a pool of {@code
 * connections} keep-alive connections, and the node-list long-poll on a connection of its own, so
 * a full pool of purges never delays seeing them applied. HttpClient 5's async client, as {@link
 * HttpTransport}. Thread-safe.
 */
public final class PurgeApiClient implements PurgeStorm.Api, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The longest a node-list request asks the API to wait, in ms (the API's own bound). */
    private static final long MAX_WAIT_MILLIS = 25_000;

    private final URI api;
    private final String authorization;
    private final CloseableHttpAsyncClient purges;
    private final CloseableHttpAsyncClient watch;

    /**
     * @param api the purge API's URL
     * @param token a bearer token that may {@code purge} and {@code read} every site
     * @param connections the connections for purges
     * @param timeout the longest wait to connect and for each purge's answer
     */
    public PurgeApiClient(URI api, String token, int connections, Duration timeout) {
        this.api = requireNonNull(api, "api");
        this.authorization = "Bearer " + requireNonNull(token, "token");
        this.purges = HttpTransport.startClient(connections, 1, timeout);
        this.watch = HttpTransport.startClient(1, 1, timeout.plus(Duration.ofMillis(MAX_WAIT_MILLIS)));
    }

    @Override
    public CompletableFuture<PurgeStorm.Answer> purge(String body) {
        SimpleHttpRequest request = SimpleRequestBuilder.post(api.resolve("/v1/purge"))
                .setVersion(HttpVersion.HTTP_1_1)
                .addHeader("Authorization", authorization)
                .setBody(body, ContentType.APPLICATION_JSON)
                .build();
        return send(purges, request).handle((response, failure) -> {
            if (response == null) {
                return new PurgeStorm.Answer(Outcome.failed(HttpTransport.kindOf(requireNonNull(failure))), 0);
            }
            byte[] answer = body(response);
            Outcome outcome = Outcome.response(response.getCode(), null, answer.length);
            if (response.getCode() != 202) {
                return new PurgeStorm.Answer(outcome, 0);
            }
            try {
                long seq = JSON.readTree(answer).path("seq").asLong(0);
                return seq > 0
                        ? new PurgeStorm.Answer(outcome, seq)
                        : new PurgeStorm.Answer(Outcome.failed("no-seq"), 0);
            } catch (IOException e) {
                return new PurgeStorm.Answer(Outcome.failed("no-seq"), 0);
            }
        });
    }

    @Override
    public CompletableFuture<Map<String, Long>> nodes(Duration wait, long minApplied) {
        long waitMillis = Math.min(MAX_WAIT_MILLIS, wait.toMillis());
        SimpleHttpRequest request = SimpleRequestBuilder.get(
                        api.resolve("/v1/nodes?wait=" + waitMillis + "&minApplied=" + Math.max(0, minApplied)))
                .setVersion(HttpVersion.HTTP_1_1)
                .addHeader("Authorization", authorization)
                .build();
        return send(watch, request).thenApply(PurgeApiClient::reachableNodes);
    }

    /** The reachable nodes of a node list and their applied sequences. */
    private static Map<String, Long> reachableNodes(SimpleHttpResponse response) {
        if (response.getCode() != 200) {
            JsonNode problem = parse(response, "GET /v1/nodes");
            throw new LoadtestException("the purge API answered GET /v1/nodes with " + response.getCode() + ": "
                    + problem.path("detail").asText("(no detail)")
                    + (response.getCode() == 401 || response.getCode() == 403
                            ? " (expected: a token that may read every site)"
                            : ""));
        }
        Map<String, Long> nodes = new HashMap<>();
        for (JsonNode node : parse(response, "GET /v1/nodes").path("nodes")) {
            if (node.path("status").asText().equals("reachable")) {
                nodes.put(node.path("name").asText(), node.path("appliedSeq").asLong());
            }
        }
        return nodes;
    }

    private static JsonNode parse(SimpleHttpResponse response, String what) {
        try {
            return JSON.readTree(body(response));
        } catch (IOException e) {
            throw new LoadtestException(what + ": the purge API's answer is not JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] body(SimpleHttpResponse response) {
        @Nullable byte[] bytes = response.getBodyBytes();
        return bytes == null ? new byte[0] : bytes;
    }

    private static CompletableFuture<SimpleHttpResponse> send(
            CloseableHttpAsyncClient client, SimpleHttpRequest request) {
        CompletableFuture<SimpleHttpResponse> result = new CompletableFuture<>();
        client.execute(
                SimpleRequestProducer.create(request),
                SimpleResponseConsumer.create(),
                null,
                null,
                new FutureCallback<SimpleHttpResponse>() {
                    @Override
                    public void completed(SimpleHttpResponse response) {
                        result.complete(response);
                    }

                    @Override
                    public void failed(Exception failure) {
                        result.completeExceptionally(failure);
                    }

                    @Override
                    public void cancelled() {
                        result.cancel(false);
                    }
                });
        return result;
    }

    /** Stops both clients; requests in flight fail. */
    @Override
    public void close() {
        HttpTransport.stop(purges);
        HttpTransport.stop(watch);
    }
}
