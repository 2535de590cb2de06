package io.certform.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Receives every HTTP call: draws its fault, then has {@link GatewayApi} carry it out (now, after a hold, or
 * later in the background), or serves the simulator's own {@code /_simulator/...} endpoints and IAM.
 */
final class GatewayHandler implements HttpHandler, AutoCloseable {

    private static final List<String> FAULT_KINDS = List.of("error", "throttle", "drop", "stall", "slow", "late",
            "lost");

    private final World world;
    private final SimulatorOptions options;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    /** Requests received per call kind ({@link Route.Kind#label}), faulted or not. */
    private final Map<String, LongAdder> callsByKind = new ConcurrentHashMap<>();
    private final Random ids;
    private final Random faultRandom;
    private final Map<String, LongAdder> faultCounts = new ConcurrentHashMap<>();
    /** Slow writes being held and late writes not yet landed. */
    private final AtomicLong writesPending = new AtomicLong();
    private final LongAdder rebinds = new LongAdder();
    /** Writes still to be lost: each is closed without an answer and without effect (see {@link #loseWrites}). */
    private final java.util.concurrent.atomic.AtomicInteger writesToLose = new java.util.concurrent.atomic.AtomicInteger();
    /** Writes still to be held: each is held, not carried out, until the test lands or loses it ({@link #holdWrites}). */
    private final java.util.concurrent.atomic.AtomicInteger writesToHold = new java.util.concurrent.atomic.AtomicInteger();
    /** The writes held now, oldest first; guarded by itself, which is notified when one arrives. */
    private final List<HeldWrite> held = new java.util.ArrayList<>();
    private final IamEmulator iam;
    private final GatewayApi api;
    /** The TLS port, once the simulator serves one. */
    private volatile TlsServer tls;
    /** Lands late writes; one daemon thread, made on first use. */
    private volatile ScheduledExecutorService lateWrites;

    GatewayHandler(World world, SimulatorOptions options) {
        this.world = world;
        this.options = options;
        this.ids = new Random(options.seed());
        this.faultRandom = new Random(options.seed() * 31 + 7);
        this.iam = new IamEmulator(options, json, this::newId);
        this.api = new GatewayApi(world, options, json, new CertificateInspector(), this::newId, iam);
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
                send(exchange, answer(() -> admin(method, path, body)));
                return;
            }
            if (path.equals("/v3/auth/tokens")) {
                requestsByMethod.computeIfAbsent("IAM", m -> new LongAdder()).increment();
                IamEmulator.Answer answer = iam.issue(method, body);
                if (answer.token() != null) {
                    exchange.getResponseHeaders().set("X-Subject-Token", answer.token());
                }
                send(exchange, new GatewayApi.Response(answer.status(), answer.body()));
                return;
            }
            requestsByMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
            Route route = Route.of(method, path);
            callsByKind.computeIfAbsent(route.kind().label, k -> new LongAdder()).increment();
            GatewayApi.Request request = new GatewayApi.Request(method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body, route);
            if (route.kind().faulted == Route.Faulted.WRITE
                    && writesToLose.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                faultCounts.computeIfAbsent("lost", k -> new LongAdder()).increment();
                return; // closed without an answer, not carried out: the request never reached the service
            }
            if (route.kind().faulted == Route.Faulted.WRITE
                    && writesToHold.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                hold(exchange, request);
                return;
            }
            serve(exchange, request, drawFault(route));
        }
    }

    /**
     * The next {@code count} writes (of any kind) are closed without an answer and never carried out, whatever the
     * drawn faults: a lost request, for a test that needs the one call whose answer is lost to have had no effect.
     */
    void loseWrites(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a count of writes to lose cannot be negative, not " + count);
        }
        writesToLose.set(count);
    }

    /**
     * The next {@code count} writes (of any kind) are held, whatever the drawn faults: received and counted, neither
     * carried out nor answered, until {@link #landHeld} or {@link #loseHeld} says what becomes of them. Replaces
     * any count still pending; 0 stops holding new writes (those held stay held).
     */
    void holdWrites(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("a count of writes to hold cannot be negative, not " + count);
        }
        writesToHold.set(count);
    }

    /** One write held: its fate (carried out or not) is set by the test, and {@code settled} opens once it is. */
    private static final class HeldWrite {
        final java.util.concurrent.CompletableFuture<Boolean> land = new java.util.concurrent.CompletableFuture<>();
        final java.util.concurrent.CountDownLatch settled = new java.util.concurrent.CountDownLatch(1);
    }

    /** Holds one write on this worker until its fate is set; carried out, it is answered if the client still listens. */
    private void hold(HttpExchange exchange, GatewayApi.Request request) {
        HeldWrite write = new HeldWrite();
        writesPending.incrementAndGet();
        GatewayApi.Response response = null;
        try {
            synchronized (held) {
                held.add(write);
                held.notifyAll();
            }
            boolean land;
            try {
                land = write.land.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the simulator is closing: the write never lands
                land = false;
            } catch (java.util.concurrent.ExecutionException e) {
                land = false;
            }
            if (land) {
                response = answer(() -> api.call(request));
            }
        } finally {
            writesPending.decrementAndGet();
            write.settled.countDown();
        }
        if (response != null) {
            try {
                send(exchange, response);
            } catch (IOException gaveUp) {
                // the client stopped waiting before the write landed: nobody hears the answer
            }
        }
        // lost: returning closes the exchange without an answer
    }

    /** Waits until {@code count} writes are held at once, at most {@code limit}; true when they are. */
    boolean awaitHeld(int count, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (held) {
            while (held.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(held, left);
            }
            return true;
        }
    }

    /**
     * Sets the fate of the oldest {@code count} writes held now (all of them when fewer are), one after the other:
     * carried out ({@code land}) or closed without effect. Returns once each is settled (a landed write is in the
     * world); the number settled.
     */
    int settleHeld(boolean land, int count) throws InterruptedException {
        List<HeldWrite> now;
        synchronized (held) {
            List<HeldWrite> oldest = held.subList(0, Math.min(count, held.size()));
            now = new java.util.ArrayList<>(oldest);
            oldest.clear();
        }
        for (HeldWrite write : now) {
            write.land.complete(land);
            write.settled.await();
        }
        return now.size();
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
            faultCounts.computeIfAbsent(fault.name().toLowerCase(Locale.ROOT), k -> new LongAdder()).increment();
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
                writesPending.incrementAndGet();
                GatewayApi.Response response;
                try {
                    sleep(faults.slowTime());
                    response = answer(() -> api.call(request));
                } finally {
                    writesPending.decrementAndGet();
                }
                try {
                    send(exchange, response);
                } catch (IOException gaveUp) {
                    // the client stopped waiting before the write landed: nobody hears the answer
                }
            }
            case LATE -> {
                writesPending.incrementAndGet();
                lateWrites().schedule(() -> {
                    try {
                        answer(() -> api.call(request));
                    } finally {
                        writesPending.decrementAndGet();
                    }
                }, faults.lateTime().toNanos(), TimeUnit.NANOSECONDS);
                // closed at once without an answer; the write lands later
            }
            default -> send(exchange, answer(() -> api.call(request)));
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
        this.tls = server;
    }

    /** The gateway calls received with {@code method} (IAM token calls as "IAM"), faulted or not. */
    long requests(String method) {
        LongAdder count = requestsByMethod.get(method);
        return count == null ? 0 : count.sum();
    }

    /** True when the gateway's reads, now, see every write that has landed (the read lag has passed since each). */
    boolean readsShowEveryWrite() {
        return world.reads().showEveryWrite(new World.At(options.clock().instant(), options.faults().readLag()));
    }

    /** Writes held (slow) or not yet landed (late). */
    long writesPending() {
        return writesPending.get();
    }

    /** Stops landing late writes; those still pending never land. */
    @Override
    public synchronized void close() {
        synchronized (held) {
            held.forEach(write -> write.land.complete(false));
            held.clear();
        }
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

    // --- the simulator's own endpoints ---------------------------------------------------------------------

    private GatewayApi.Response admin(String method, String path, byte[] body) {
        if (path.equals("/_simulator/state") && method.equals("GET")) {
            return new GatewayApi.Response(200, state());
        }
        if (path.equals("/_simulator/reset") && method.equals("POST")) {
            world.reset();
            requestsByMethod.clear();
            callsByKind.clear();
            faultCounts.clear();
            rebinds.reset();
            return new GatewayApi.Response(204, null);
        }
        if (path.equals("/_simulator/tls-faults") && method.equals("POST")) {
            return tlsFaults(body);
        }
        if (path.equals("/_simulator/rebind") && method.equals("POST")) {
            GatewayApi.Response response = api.rebind(body);
            rebinds.increment();
            return response;
        }
        throw ApiError.notFoundPath();
    }

    /**
     * {@code POST /_simulator/tls-faults}: {@code serve_stale_rate} (0..1) and {@code serve_broken} (array of
     * names) replace the TLS faults from the next handshake on; a field left out becomes none.
     */
    private GatewayApi.Response tlsFaults(byte[] body) {
        TlsServer server = tls;
        if (server == null) {
            throw new ApiError(409, "SIM.0001", "The simulator serves no TLS port: start it with --tls-port");
        }
        tools.jackson.databind.JsonNode request = GatewayApi.parseObject(json, body);
        tools.jackson.databind.JsonNode rate = request.get("serve_stale_rate");
        if (rate != null && !rate.isNull() && !rate.isNumber()) {
            throw ApiError.invalidParameter("serve_stale_rate");
        }
        tools.jackson.databind.JsonNode broken = request.get("serve_broken");
        java.util.List<String> names = new java.util.ArrayList<>();
        if (broken != null && !broken.isNull()) {
            if (!broken.isArray()) {
                throw ApiError.invalidParameter("serve_broken");
            }
            for (tools.jackson.databind.JsonNode name : broken) {
                if (!name.isString()) {
                    throw ApiError.invalidParameter("serve_broken");
                }
                names.add(name.stringValue());
            }
        }
        try {
            server.faults(new TlsFaults(rate == null || rate.isNull() ? 0 : rate.doubleValue(), names));
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "APIG.2012", e.getMessage());
        }
        ObjectNode out = json.createObjectNode();
        tlsState(out, server);
        return new GatewayApi.Response(200, out);
    }

    private void tlsState(ObjectNode out, TlsServer server) {
        out.put("port", server.port());
        out.put("serve_stale_rate", server.faults().staleRate());
        ArrayNode broken = out.putArray("serve_broken");
        server.faults().brokenNames().forEach(broken::add);
        out.put("handshakes", server.handshakes());
        out.put("refused", server.refused());
    }

    private ObjectNode state() {
        ObjectNode out = json.createObjectNode();
        TlsServer server = tls;
        if (server != null) {
            tlsState(out.putObject("tls"), server);
        }
        ArrayNode domains = out.putArray("domains");
        for (World.DomainView d : world.domains()) {
            ObjectNode row = domains.addObject();
            row.put("instance_id", d.instanceId());
            row.put("group_id", d.groupId());
            row.put("domain_id", d.domainId());
            row.put("url_domain", d.urlDomain());
            row.put("ssl_id", d.sslId());
            row.put("ssl_name", d.sslName());
            row.put("serial_number", d.serialNumber());
            row.put("certificates_bound", d.certificatesBound());
            ArrayNode attached = row.putArray("attached");
            d.attachedIds().forEach(attached::add);
        }
        ArrayNode managed = out.putArray("managed_certificates");
        world.persistence().forEachManaged((service, c, updateTime, attachedTo) -> {
            ObjectNode row = managed.addObject();
            row.put("service", service);
            row.put("id", c.sslId());
            row.put("name", c.sslName());
            row.put("type", c.type());
            row.put("algorithm_type", c.algorithmType());
            row.put("serial_number", c.serialNumber());
            row.put("not_after", c.notAfter());
            row.put("update_time", updateTime);
            row.put("attached_domains", attachedTo.size());
        });
        ObjectNode counters = out.putObject("counters");
        counters.put("certificates_created", world.certificatesCreated());
        counters.put("managed_certificates_created", world.managedCertificatesCreated());
        counters.put("managed_certificates_updated", world.managedCertificatesUpdated());
        counters.put("iam_tokens_issued", iam.issued());
        counters.put("rebinds", rebinds.sum());
        counters.put("writes_pending", writesPending.get());
        ObjectNode requests = counters.putObject("requests");
        requestsByMethod.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> requests.put(e.getKey(), e.getValue().sum()));
        ObjectNode calls = counters.putObject("calls");
        for (Route.Kind kind : Route.Kind.values()) {
            LongAdder count = callsByKind.get(kind.label);
            calls.put(kind.label, count == null ? 0 : count.sum());
        }
        ObjectNode faults = counters.putObject("faults");
        for (String kind : FAULT_KINDS) {
            LongAdder count = faultCounts.get(kind);
            faults.put(kind, count == null ? 0 : count.sum());
        }
        return out;
    }

    // --- helpers --------------------------------------------------------------------------------------------

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
