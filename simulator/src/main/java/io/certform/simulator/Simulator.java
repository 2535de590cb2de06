package io.certform.simulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A running simulator: an HTTP server on loopback serving one {@link World}. Start it with
 * {@link #start(World, SimulatorOptions, int)}; close it to stop. {@link #serveTls(int, TlsFaults)} adds a TLS
 * port that presents, per SNI name, the certificate that domain carries.
 */
public final class Simulator implements AutoCloseable {

    /** Enough for stalled and delayed calls to wait without starving the others. */
    private static final int WORKER_THREADS = 256;

    private final HttpServer server;
    private final ExecutorService workers;
    private final World world;
    private final GatewayHandler handler;
    private final long seed;
    private volatile TlsServer tls;
    private volatile DnsServer dns;

    private Simulator(HttpServer server, ExecutorService workers, World world, GatewayHandler handler, long seed) {
        this.server = server;
        this.workers = workers;
        this.world = world;
        this.handler = handler;
        this.seed = seed;
    }

    /**
     * Starts serving {@code world} on 127.0.0.1.
     *
     * @param port the port to listen on, or 0 for any free port
     */
    public static Simulator start(World world, SimulatorOptions options, int port) throws IOException {
        // The JDK server writes headers and body in separate segments; with Nagle's algorithm on, each answer then
        // waits for the client's delayed ACK (~40 ms). Measured: 352 -> 3,449 POSTs/s on 2 cores. It is read once,
        // when the server classes load, so it is set before the first server is made.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "simulator-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, threads);
        server.setExecutor(workers);
        GatewayHandler handler = new GatewayHandler(world, options);
        server.createContext("/", handler);
        server.start();
        return new Simulator(server, workers, world, handler, options.seed());
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Starts the TLS port on 127.0.0.1 ({@code --tls-port}): each handshake presents the chain and key of the
     * certificate the domain named by SNI carries now, with {@code faults} applied. Keys live in memory only,
     * and are kept only from this call on: domains bound before it (or read from a world file) present nothing
     * until they are bound again.
     *
     * @param port the port, or 0 for any free port
     * @return the port it listens on
     * @throws IllegalStateException when this simulator already serves TLS
     */
    public synchronized int serveTls(int port, TlsFaults faults) throws IOException {
        if (tls != null) {
            throw new IllegalStateException("this simulator already serves TLS on port " + tls.port());
        }
        world.materials().keepFromNow();
        tls = TlsServer.start(world, seed, faults, port);
        handler.tls(tls);
        return tls.port();
    }

    /**
     * Starts answering DNS queries (TXT, SOA, NS) for the world's Huawei Cloud DNS zones on 127.0.0.1, UDP and TCP
     * ({@code --dns-port}).
     *
     * @param port the port, or 0 for any free port (the same number for UDP and TCP)
     * @return the port it listens on
     * @throws IllegalStateException when this simulator already serves DNS
     */
    public synchronized int serveDns(int port) throws IOException {
        if (dns != null) {
            throw new IllegalStateException("this simulator already serves DNS on port " + dns.port());
        }
        dns = DnsServer.start(world.dns(), port);
        return dns.port();
    }

    /** The DNS port, or -1 when the simulator answers no DNS queries. */
    public int dnsPort() {
        DnsServer server = dns;
        return server == null ? -1 : server.port();
    }

    /** The TLS port, or -1 when the simulator serves no TLS. */
    public int tlsPort() {
        TlsServer server = tls;
        return server == null ? -1 : server.port();
    }

    /**
     * Changes what the TLS port gets wrong, from the next handshake on (as {@code POST /_simulator/tls-faults}).
     *
     * @throws IllegalStateException when the simulator serves no TLS
     */
    public void tlsFaults(TlsFaults faults) {
        TlsServer server = tls;
        if (server == null) {
            throw new IllegalStateException("this simulator serves no TLS; call serveTls first");
        }
        server.faults(faults);
    }

    /** The TLS faults in force (none when the simulator serves no TLS). */
    public TlsFaults tlsFaults() {
        TlsServer server = tls;
        return server == null ? TlsFaults.none() : server.faults();
    }

    public World world() {
        return world;
    }

    /**
     * The gateway calls received with {@code method} ("POST", "GET", ..., or "IAM" for token calls), faulted or
     * not, counted the moment each arrives: what /_simulator/state counts under {@code requests}, for tests in the
     * same JVM (no connection of their own to the server, so they do not load it while they watch).
     */
    public long requests(String method) {
        return handler.requests(method);
    }

    /**
     * Loses the next {@code count} writes received (adds, deletes, and the certificate-management writes): each is
     * closed without an answer and never carried out, so the caller cannot tell whether it landed, and it did not.
     * Replaces any count still pending; 0 stops losing writes.
     */
    public void loseWrites(int count) {
        handler.scripted().lose(count);
    }

    /**
     * Holds the next {@code count} writes received (adds, deletes, and the certificate-management writes), whatever
     * the drawn faults: each is counted as received (see {@link #requests}), then neither carried out nor answered
     * until the test says, with {@link #landHeldWrites()} or {@link #loseHeldWrites()}, what becomes of it. A
     * client's timeout fires first for sure, and the write lands (or never does) exactly when the test says.
     * Replaces any count still pending; 0 holds no more (those held stay held). Closing the simulator loses them.
     */
    public void holdWrites(int count) {
        handler.scripted().hold(count);
    }

    /**
     * Authentication fails for the next {@code calls} calls that authenticate (gateway, certificate management,
     * DNS; not IAM, not {@code /_simulator/*}): each is answered 401 as the real service answers refused
     * credentials (APIG.1002 for a token, APIGW.0301 for an AK/SK signature) and not carried out. Replaces any
     * outage in force; 0 ends it. As {@code POST /_simulator/auth-fail {"calls": N}} and {@code --auth-fail N}.
     */
    public void failAuthentication(int calls) {
        handler.outage().calls(calls);
    }

    /**
     * As {@link #failAuthentication(int)}, for every such call during {@code window} from now, on the options'
     * clock ({@code {"seconds": S}}, {@code --auth-fail-for D}).
     */
    public void failAuthenticationFor(java.time.Duration window) {
        handler.outage().window(window);
    }

    /** As {@link #failAuthentication(int)}, for every such call until {@link #restoreAuthentication()}. */
    public void failAuthenticationUntilRestored() {
        handler.outage().untilRestored();
    }

    /** Ends the authentication outage in force, if any ({@code {"on": false}}). */
    public void restoreAuthentication() {
        handler.outage().restore();
    }

    /** The calls answered 401 by an authentication outage so far ({@code counters.faults.auth}). */
    public long authenticationFailures() {
        return handler.authFailures();
    }

    /** A success answer that does not say what was made (no {@code ssl_id}, no {@code id}), as a proxy may give. */
    public enum HollowAnswer {
        /** 201 with the body {@code {}}. */
        EMPTY_OBJECT,
        /** 200 with no body at all. */
        NO_BODY;

        GatewayApi.Response response(tools.jackson.databind.json.JsonMapper json) {
            return this == EMPTY_OBJECT ? new GatewayApi.Response(201, json.createObjectNode())
                    : new GatewayApi.Response(200, null);
        }
    }

    /**
     * Answers the next {@code count} writes received (adds, deletes, and the certificate-management writes) with a
     * hollow success, whatever the drawn faults: each is carried out, and when the service would answer a success,
     * the answer is {@code how} instead (an error answer passes unchanged). Replaces any count still pending; 0 stops.
     */
    public void answerWritesHollow(int count, HollowAnswer how) {
        handler.scripted().answerHollow(count, how);
    }

    /** Waits until {@code count} writes are held at once, at most {@code limit}; true when they are. */
    public boolean awaitHeldWrites(int count, java.time.Duration limit) throws InterruptedException {
        return handler.scripted().awaitHeld(count, limit);
    }

    /**
     * Carries out every write held now, oldest first, and answers each whose client still listens; returns once
     * they are in the world, with how many there were.
     */
    public int landHeldWrites() throws InterruptedException {
        return handler.scripted().settle(true, Integer.MAX_VALUE);
    }

    /** As {@link #landHeldWrites()}, for the oldest {@code count} writes held now; the others stay held. */
    public int landHeldWrites(int count) throws InterruptedException {
        return handler.scripted().settle(true, count);
    }

    /** Closes every write held now without an answer and without effect; returns how many there were. */
    public int loseHeldWrites() throws InterruptedException {
        return handler.scripted().settle(false, Integer.MAX_VALUE);
    }

    /** As {@link #loseHeldWrites()}, for the oldest {@code count} writes held now; the others stay held. */
    public int loseHeldWrites(int count) throws InterruptedException {
        return handler.scripted().settle(false, count);
    }

    /**
     * Waits until no write is held or still to land (slow and late faults, and writes held by {@link #holdWrites}), at most {@code limit}; true when none
     * is. What /_simulator/state counts as {@code writes_pending}, for tests in the same JVM.
     */
    public boolean awaitWritesLanded(java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (handler.writesPending() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Waits until the gateway's reads show every write that has landed (with a read lag, until it has passed since
     * the last one), at most {@code limit}; true when they do. A test that lands a held write before a run looks
     * waits for this, so the run's look sees what landed.
     */
    public boolean awaitReadsShowWrites(java.time.Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!handler.readsShowEveryWrite()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        DnsServer names = dns;
        if (names != null) {
            names.close();
        }
        TlsServer server = tls;
        if (server != null) {
            server.close();
        }
        this.server.stop(0);
        handler.close();
        workers.shutdownNow();
    }
}
