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
 * {@link #start(World, SimulatorOptions, int)}; close it to stop.
 */
public final class Simulator implements AutoCloseable {

    /** Enough for stalled and delayed calls to wait without starving the others. */
    private static final int WORKER_THREADS = 256;

    private final HttpServer server;
    private final ExecutorService workers;
    private final World world;
    private final GatewayHandler handler;

    private Simulator(HttpServer server, ExecutorService workers, World world, GatewayHandler handler) {
        this.server = server;
        this.workers = workers;
        this.world = world;
        this.handler = handler;
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
        return new Simulator(server, workers, world, handler);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public World world() {
        return world;
    }

    /**
     * Waits until no write is held or still to land (slow and late faults), at most {@code limit}; true when none
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

    @Override
    public void close() {
        server.stop(0);
        handler.close();
        workers.shutdownNow();
    }
}
