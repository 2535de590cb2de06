package io.certform.report;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Headless Chromium driven over the DevTools protocol (okhttp's WebSocket): open a page, evaluate JavaScript in it,
 * click, take a screenshot, and see every request the page made and every message it logged (a Content-Security-
 * Policy violation is one). A fresh profile per browser; {@link #close} ends the process and deletes it.
 */
final class Chromium implements AutoCloseable {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("CERTFORM_CHROMIUM", "/usr/bin/chromium"));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final OkHttpClient http = new OkHttpClient.Builder().readTimeout(0, TimeUnit.SECONDS).build();
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
    /** Every URL the page requested, in order. */
    final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    /** Every console and log message of the page (CSP violations among them). */
    final List<String> messages = Collections.synchronizedList(new ArrayList<>());
    private String session;

    private Chromium(Process process, Path profile, String endpoint) {
        this.process = process;
        this.profile = profile;
        this.socket = http.newWebSocket(new Request.Builder().url(endpoint).build(), new WebSocketListener() {
            @Override
            public void onMessage(WebSocket webSocket, String text) {
                JsonNode message = JSON.readTree(text);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
                    if (answer != null) {
                        answer.complete(message);
                    }
                } else {
                    observe(message);
                    events.add(message);
                }
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                pending.values().forEach(f -> f.completeExceptionally(t));
            }
        });
    }

    static boolean installed() {
        return Files.isExecutable(BINARY);
    }

    /** Starts headless Chromium with a fresh profile, no network of its own, and a page to drive. */
    static Chromium start(int width, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("certform-chromium");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=" + width + "," + height,
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.PIPE).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        endpoint.complete(m.group(1));
                    }
                }
                endpoint.completeExceptionally(new IOException("chromium exited before it listened"));
            } catch (IOException e) {
                endpoint.completeExceptionally(e);
            }
        }, "chromium-output");
        reader.setDaemon(true);
        reader.start();
        try {
            Chromium browser = new Chromium(process, profile, endpoint.get(20, TimeUnit.SECONDS));
            browser.attach();
            return browser;
        } catch (Exception e) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            deleteTree(profile);
            throw new IOException("chromium did not start: " + e, e);
        }
    }

    private void attach() throws IOException {
        String target = call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
                .path("targetId").asString();
        session = call(null, "Target.attachToTarget", JSON.createObjectNode().put("targetId", target)
                .put("flatten", true)).path("sessionId").asString();
        for (String domain : List.of("Page.enable", "Network.enable", "Runtime.enable", "Log.enable")) {
            call(domain, JSON.createObjectNode());
        }
    }

    /** Opens {@code url} and waits until it loaded (its scripts ran). */
    void open(String url) throws IOException, InterruptedException {
        events.clear();
        call("Page.navigate", JSON.createObjectNode().put("url", url));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            JsonNode event = events.poll(200, TimeUnit.MILLISECONDS);
            if (event != null && "Page.loadEventFired".equals(event.path("method").asString(""))) {
                return;
            }
        }
        throw new IOException(url + " did not load within 20 s");
    }

    /** The value of a JavaScript expression in the page (awaited when it is a promise). */
    JsonNode evaluate(String expression) throws IOException {
        JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true).put("awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new IOException("the page threw: " + result.get("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** A PNG of the whole page. */
    byte[] screenshot() throws IOException {
        ObjectNode params = JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        return java.util.Base64.getDecoder().decode(call("Page.captureScreenshot", params).path("data").asString());
    }

    private void observe(JsonNode event) {
        String method = event.path("method").asString("");
        JsonNode params = event.path("params");
        switch (method) {
            case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asString(""));
            case "Log.entryAdded" -> messages.add(params.path("entry").path("level").asString("") + ": "
                    + params.path("entry").path("text").asString(""));
            case "Runtime.consoleAPICalled" -> messages.add(params.path("type").asString("") + ": "
                    + params.path("args").toString());
            case "Runtime.exceptionThrown" -> messages.add("exception: " + params.path("exceptionDetails"));
            default -> { }
        }
    }

    private JsonNode call(String method, ObjectNode params) throws IOException {
        return call(session, method, params);
    }

    private JsonNode call(String sessionId, String method, ObjectNode params) throws IOException {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.send(message.toString());
        try {
            JsonNode reply = answer.get(30, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new IOException(method + ": " + reply.get("error"));
            }
            return reply.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(method + " interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException(method + " got no answer: " + e, e);
        }
    }

    @Override
    public void close() throws Exception {
        socket.close(1000, null);
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
