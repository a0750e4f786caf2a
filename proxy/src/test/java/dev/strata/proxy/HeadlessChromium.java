package dev.strata.proxy;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real headless Chromium driven through the Debian chromedriver's W3C WebDriver HTTP API: no
 * Selenium, no driver or browser download, nothing fetched from the network. The driver listens on
 * a loopback port it picks itself; the browser gets a fresh profile and the flags that keep it from
 * calling home. Missing binaries fail the test with how to install them (CI installs them).
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    static final Path BROWSER = Path.of("/usr/bin/chromium");

    private static final Pattern STARTED = Pattern.compile("started successfully on port (\\d+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process driver;
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI session;

    private HeadlessChromium(Process driver, URI session) {
        this.driver = driver;
        this.session = session;
    }

    /**
     * Starts chromedriver and a browser session.
     *
     * @param profile an empty directory for the browser's profile
     */
    static HeadlessChromium start(Path profile) throws Exception {
        if (!Files.isExecutable(DRIVER) || !Files.isExecutable(BROWSER)) {
            fail("this test drives a real headless Chromium through " + DRIVER + " and " + BROWSER
                    + ", which are missing: install them with `apt-get update && apt-get install -y chromium"
                    + " chromium-driver` (Debian's packages; .ci/run does this)");
        }
        Process driver = new ProcessBuilder(DRIVER.toString(), "--port=0")
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader lines = new BufferedReader(
                            new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            Matcher started = STARTED.matcher(line);
                            if (started.find()) {
                                port.complete(Integer.parseInt(started.group(1)));
                            }
                        }
                        port.completeExceptionally(new IllegalStateException("chromedriver exited"));
                    } catch (IOException e) {
                        port.completeExceptionally(e);
                    }
                },
                "chromedriver-output");
        reader.setDaemon(true);
        reader.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + port.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
            ObjectNode options = JSON.createObjectNode();
            options.put("binary", BROWSER.toString());
            ArrayNode args = options.putArray("args");
            for (String arg : List.of(
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-quic",
                    "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--disable-dev-shm-usage",
                    "--window-size=1400,1300",
                    "--user-data-dir=" + profile.toAbsolutePath())) {
                args.add(arg);
            }
            ObjectNode capabilities = JSON.createObjectNode();
            capabilities
                    .putObject("capabilities")
                    .putObject("alwaysMatch")
                    .put("browserName", "chrome")
                    .set("goog:chromeOptions", options);
            JsonNode created = call(HttpClient.newHttpClient(), "POST", base.resolve("/session"), capabilities);
            String id = created.path("sessionId").asText();
            return new HeadlessChromium(driver, base.resolve("/session/" + id));
        } catch (Exception e) {
            driver.destroyForcibly();
            throw e;
        }
    }

    /** Opens {@code url} and waits for it to load. */
    void open(URI url) throws Exception {
        call("POST", "url", JSON.createObjectNode().put("url", url.toString()));
    }

    /**
     * Runs {@code script} in the page (a function body; {@code arguments} holds {@code args}) and
     * returns what it returns, as JSON.
     */
    JsonNode execute(String script, String... args) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        ArrayNode arguments = body.putArray("args");
        for (String arg : args) {
            arguments.add(arg);
        }
        return call("POST", "execute/sync", body);
    }

    /** The rendered text of the first element matching {@code css}, or null when there is none. */
    @Nullable
    String text(String css) throws Exception {
        JsonNode text =
                execute("var e = document.querySelector(arguments[0]); return e === null ? null : e.innerText;", css);
        return text.isNull() ? null : text.asText();
    }

    /** The rendered texts of every element matching {@code css}. */
    List<String> texts(String css) throws Exception {
        JsonNode texts = execute(
                "return Array.from(document.querySelectorAll(arguments[0])).map(function (e) { return e.innerText; });",
                css);
        return JSON.convertValue(texts, JSON.getTypeFactory().constructCollectionType(List.class, String.class));
    }

    /** Saves a PNG of the viewport. */
    void screenshot(Path file) throws Exception {
        JsonNode png = call("GET", "screenshot", null);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(png.asText()));
    }

    private JsonNode call(String method, String path, @Nullable JsonNode body) throws Exception {
        return call(http, method, URI.create(session + "/" + path), body);
    }

    /** One WebDriver command: its {@code value}, or an assertion error naming the driver's error. */
    private static JsonNode call(HttpClient http, String method, URI uri, @Nullable JsonNode body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json; charset=utf-8");
        request.method(
                method,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode value = JSON.readTree(response.body()).path("value");
        if (response.statusCode() != 200) {
            throw new AssertionError("WebDriver " + method + " " + uri + " answered " + response.statusCode() + ": "
                    + value.path("error").asText() + ": "
                    + value.path("message").asText());
        }
        return value;
    }

    /** Ends the session (closing the browser) and stops the driver. */
    @Override
    public void close() throws Exception {
        try {
            call(http, "DELETE", session, null);
        } finally {
            driver.destroy();
            if (!driver.waitFor(10, TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        }
    }
}
