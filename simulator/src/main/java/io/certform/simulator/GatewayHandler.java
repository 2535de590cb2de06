package io.certform.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Receives every HTTP call and routes it: the simulator's own {@code /_simulator/...} endpoints
 * ({@link AdminEndpoints}), IAM ({@link IamEmulator}), or a gateway call, whose scripted fate ({@link ScriptedWrites})
 * or drawn fault decides whether {@link GatewayApi} carries it out (now, after a hold, or later in the background)
 * and what is answered; a Huawei Cloud DNS call ({@code /v2/zones...}) goes to {@link DnsApi}, unfaulted.
 */
final class GatewayHandler implements HttpHandler, AutoCloseable {

    private final World world;
    private final SimulatorOptions options;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Traffic traffic = new Traffic();
    private final ScriptedWrites scripted = new ScriptedWrites(traffic.writesPending);
    private final Random ids;
    private final Random faultRandom;
    private final IamEmulator iam;
    private final GatewayApi api;
    private final AdminEndpoints admin;
    private final DnsApi dns;
    private final AuthOutage outage;
    /** Lands late writes; one daemon thread, made on first use. */
    private volatile ScheduledExecutorService lateWrites;

    GatewayHandler(World world, SimulatorOptions options) {
        this.world = world;
        this.options = options;
        this.outage = new AuthOutage(options.clock());
        this.ids = new Random(options.seed());
        this.faultRandom = new Random(options.seed() * 31 + 7);
        this.iam = new IamEmulator(options, json, this::newId);
        this.api = new GatewayApi(world, options, json, new CertificateInspector(), this::newId, iam);
        this.admin = new AdminEndpoints(world, api, iam, traffic, json, outage);
        this.dns = new DnsApi(world.dns(), json);
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith("/_simulator/")) {
                send(exchange, answer(() -> admin.call(method, path, body)));
                return;
            }
            if (path.equals("/v3/auth/tokens")) {
                traffic.request("IAM");
                IamEmulator.Answer answer = iam.issue(method, body);
                if (answer.token() != null) {
                    exchange.getResponseHeaders().set("X-Subject-Token", answer.token());
                }
                send(exchange, new GatewayApi.Response(answer.status(), answer.body()));
                return;
            }
            if (DnsApi.handles(path)) {
                traffic.request(method);
                GatewayApi.Request call = new GatewayApi.Request(method, path, exchange.getRequestURI().getRawQuery(),
                        exchange.getRequestHeaders(), body, null);
                if (refusedByOutage(exchange)) {
                    return;
                }
                send(exchange, answer(() -> {
                    api.authenticate(call);
                    return dns.call(method, path, call.query(), body);
                }));
                return;
            }
            traffic.request(method);
            Route route = Route.of(method, path);
            traffic.call(route.kind());
            if (refusedByOutage(exchange)) {
                return;
            }
            GatewayApi.Request request = new GatewayApi.Request(method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body, route);
            if (route.kind().faulted == Route.Faulted.WRITE && scripted(exchange, request)) {
                return;
            }
            serve(exchange, request, drawFault(route));
        }
    }

    /** Carries out a write the test scripted, if it did: true when it was (answered or not). */
    private boolean scripted(HttpExchange exchange, GatewayApi.Request request) throws IOException {
        if (scripted.takeLost()) {
            traffic.fault("lost");
            return true; // closed without an answer, not carried out: the request never reached the service
        }
        if (scripted.takeHeld()) {
            sendIfHeard(exchange, scripted.held(() -> answer(() -> api.call(request)))); // null: lost, no answer
            return true;
        }
        Simulator.HollowAnswer hollow = scripted.takeHollow();
        if (hollow != null) {
            GatewayApi.Response response = answer(() -> api.call(request));
            send(exchange, response.status() / 100 == 2 ? hollow.response(json) : response);
            return true;
        }
        return false;
    }

    /** Answers 401 when an authentication outage is on ({@link AuthOutage}); true when it did. */
    private boolean refusedByOutage(HttpExchange exchange) throws IOException {
        if (!outage.refuse()) {
            return false;
        }
        traffic.fault("auth");
        send(exchange, error(AuthOutage.answer(exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("X-Auth-Token"))));
        return true;
    }

    AuthOutage outage() {
        return outage;
    }

    ScriptedWrites scripted() {
        return scripted;
    }

    private Faults.Kind drawFault(Route route) {
        Faults faults = options.faults();
        if (!faults.any()) {
            return Faults.Kind.NONE;
        }
        Route.Faulted call = route.kind().faulted;
        if (call == Route.Faulted.NEVER) {
            return Faults.Kind.NONE;
        }
        Faults.Kind fault;
        Duration delay;
        synchronized (faultRandom) {
            fault = faults.draw(faultRandom, call == Route.Faulted.WRITE);
            delay = faults.latency(faultRandom);
        }
        sleep(delay);
        if (fault != Faults.Kind.NONE) {
            traffic.fault(fault);
        }
        return fault;
    }

    /** Answers (or not) according to the drawn fault; returning closes the exchange, answered or not. */
    private void serve(HttpExchange exchange, GatewayApi.Request request, Faults.Kind fault) throws IOException {
        Faults faults = options.faults();
        switch (fault) {
            case ERROR -> send(exchange, faultRandomBoolean()
                    ? error(new ApiError(500, "APIG.9999", "System error"))
                    : error(new ApiError(503, "APIG.9999", "Service unavailable, please try again later")));
            case THROTTLE -> {
                exchange.getResponseHeaders().set("Retry-After",
                        Long.toString(Math.max(1, faults.retryAfter().toSeconds())));
                send(exchange, error(new ApiError(429, "APIGW.0308",
                        "The throttling threshold has been reached: policy user over ratelimit,limit:200,time:5 minute")));
            }
            case STALL -> sleep(faults.stallTime()); // then closed without an answer, without effect
            case DROP -> answer(() -> api.call(request)); // carried out, then closed without an answer
            case SLOW -> {
                traffic.writesPending.incrementAndGet();
                GatewayApi.Response response;
                try {
                    sleep(faults.slowTime());
                    response = answer(() -> api.call(request));
                } finally {
                    traffic.writesPending.decrementAndGet();
                }
                sendIfHeard(exchange, response);
            }
            case LATE -> {
                traffic.writesPending.incrementAndGet();
                lateWrites().schedule(() -> {
                    try {
                        answer(() -> api.call(request));
                    } finally {
                        traffic.writesPending.decrementAndGet();
                    }
                }, faults.lateTime().toNanos(), TimeUnit.NANOSECONDS);
                // closed at once without an answer; the write lands later
            }
            default -> send(exchange, answer(() -> api.call(request)));
        }
    }

    /** Answers a write that was held, if it was carried out and its client still listens. */
    private void sendIfHeard(HttpExchange exchange, GatewayApi.Response response) {
        if (response == null) {
            return; // lost: returning closes the exchange without an answer
        }
        try {
            send(exchange, response);
        } catch (IOException gaveUp) {
            // the client stopped waiting before the write landed: nobody hears the answer
        }
    }

    private ScheduledExecutorService lateWrites() {
        ScheduledExecutorService scheduler = lateWrites;
        if (scheduler == null) {
            synchronized (this) {
                if (lateWrites == null) {
                    lateWrites = Executors.newSingleThreadScheduledExecutor(r -> {
                        Thread t = new Thread(r, "simulator-late-writes");
                        t.setDaemon(true);
                        return t;
                    });
                }
                scheduler = lateWrites;
            }
        }
        return scheduler;
    }

    void tls(TlsServer server) {
        admin.tls(server);
    }

    /** The gateway calls received with {@code method} (IAM token calls as "IAM"), faulted or not. */
    long requests(String method) {
        return traffic.requests(method);
    }

    /** The calls answered 401 by an authentication outage. */
    long authFailures() {
        return traffic.faults("auth");
    }

    /** True when the gateway's reads, now, see every write that has landed (the read lag has passed since each). */
    boolean readsShowEveryWrite() {
        return world.reads().showEveryWrite(new World.At(options.clock().instant(), options.faults().readLag()));
    }

    /** Writes held (slow, or by a test) or not yet landed (late). */
    long writesPending() {
        return traffic.writesPending.get();
    }

    /** Stops landing late writes; those still pending never land, and those held are lost. */
    @Override
    public synchronized void close() {
        scripted.close();
        if (lateWrites != null) {
            lateWrites.shutdownNow();
        }
    }

    private GatewayApi.Response answer(Supplier<GatewayApi.Response> call) {
        try {
            return call.get();
        } catch (ApiError e) {
            return error(e);
        } catch (RuntimeException e) {
            return error(new ApiError(500, "APIG.9999", "System error"));
        }
    }

    private boolean faultRandomBoolean() {
        synchronized (faultRandom) {
            return faultRandom.nextBoolean();
        }
    }

    private static void sleep(Duration duration) {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized String newId() {
        return String.format("%016x%016x", ids.nextLong(), ids.nextLong());
    }

    private GatewayApi.Response error(ApiError e) {
        ObjectNode body = json.createObjectNode();
        body.put("error_code", e.code);
        body.put("error_msg", e.getMessage());
        return new GatewayApi.Response(e.status, body);
    }

    private void send(HttpExchange exchange, GatewayApi.Response response) throws IOException {
        exchange.getResponseHeaders().set("X-Request-Id", newId());
        if (response.body() == null) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        byte[] bytes = json.writeValueAsString(response.body()).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        exchange.sendResponseHeaders(response.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
