package io.certform.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A loopback port that counts the TCP connections made to it, and then stays silent, answers in plain text, or
 * forwards to another port (optionally holding back the server's first answer, a slow TLS server). The count is
 * exact whenever it is read: {@link #connections()} makes a marker connection and waits until it is accepted, and
 * since connections are accepted in the order they were made, every earlier one has been counted by then.
 */
public final class CountingPort implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "counting-port");
        t.setDaemon(true);
        return t;
    });
    /** The client-side port of each accepted connection, in order. */
    private final List<Integer> accepted = new ArrayList<>();
    /** The indexes in {@link #accepted} of the marker connections. */
    private final Set<Integer> markers = new HashSet<>();
    private final List<Socket> open = new ArrayList<>();

    private interface Handler {
        void handle(Socket client) throws IOException;
    }

    private CountingPort(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(() -> {
            while (!server.isClosed()) {
                Socket client;
                try {
                    client = server.accept();
                } catch (IOException e) {
                    return; // closed
                }
                synchronized (this) {
                    accepted.add(client.getPort());
                    open.add(client);
                    notifyAll();
                }
                threads.execute(() -> {
                    try (client) {
                        handler.handle(client);
                    } catch (IOException e) {
                        // the client went away
                    }
                });
            }
        });
    }

    /** Reads whatever comes and never answers: a plain-HTTP server waiting for a request line. */
    public static CountingPort silent() throws IOException {
        return new CountingPort(client -> drain(client.getInputStream()));
    }

    /** Answers the first bytes it reads with {@code text} in clear, then closes. */
    public static CountingPort answering(String text) throws IOException {
        return new CountingPort(client -> {
            if (client.getInputStream().read(new byte[4096]) > 0) {
                OutputStream out = client.getOutputStream();
                out.write(text.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        });
    }

    /** Forwards each connection to {@code port} on loopback, the server's first answer held back {@code delay}. */
    public static CountingPort forwardingTo(int port, Duration delay) throws IOException {
        return new CountingPort(client -> {
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), port)) {
                Thread up = new Thread(() -> pump(client, upstream, Duration.ZERO), "counting-port-up");
                up.setDaemon(true);
                up.start();
                pump(upstream, client, delay);
            }
        });
    }

    private static void pump(Socket from, Socket to, Duration firstDelay) {
        byte[] buffer = new byte[16384];
        boolean first = true;
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (first && !firstDelay.isZero()) {
                    Thread.sleep(firstDelay.toMillis()); // the server is slow to answer the ClientHello
                }
                first = false;
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
            // keep reading, say nothing
        }
    }

    public int port() {
        return server.getLocalPort();
    }

    /** How many connections were made to this port so far (markers not counted). */
    public int connections() throws IOException, InterruptedException {
        try (Socket marker = new Socket(InetAddress.getLoopbackAddress(), port())) {
            int mine = marker.getLocalPort();
            synchronized (this) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (accepted.lastIndexOf(mine) < 0 || markers.contains(accepted.lastIndexOf(mine))) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the marker connection was never accepted");
                    }
                    wait(Math.max(1, left / 1_000_000));
                }
                int at = accepted.lastIndexOf(mine);
                markers.add(at);
                int count = 0;
                for (int i = 0; i < at; i++) {
                    if (!markers.contains(i)) {
                        count++;
                    }
                }
                return count;
            }
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        synchronized (this) {
            for (Socket s : open) {
                s.close();
            }
        }
        threads.shutdownNow();
    }
}
