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

    private static final int WORKER_THREADS = 32;

    private final HttpServer server;
    private final ExecutorService workers;
    private final World world;

    private Simulator(HttpServer server, ExecutorService workers, World world) {
        this.server = server;
        this.workers = workers;
        this.world = world;
    }

    /**
     * Starts serving {@code world} on 127.0.0.1.
     *
     * @param port the port to listen on, or 0 for any free port
     */
    public static Simulator start(World world, SimulatorOptions options, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        AtomicInteger count = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "simulator-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        ExecutorService workers = Executors.newFixedThreadPool(WORKER_THREADS, threads);
        server.setExecutor(workers);
        server.createContext("/", new GatewayHandler(world, options));
        server.start();
        return new Simulator(server, workers, world);
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

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
    }
}
