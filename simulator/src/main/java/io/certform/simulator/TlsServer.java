package io.certform.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIMatcher;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;

/**
 * The simulator's TLS port on 127.0.0.1: for each handshake, the name the client sent (SNI) picks the domain of
 * that name, and the port presents the chain and key of the certificate that domain carries now (the one the
 * seed call bound, else the first managed certificate attached). A name no domain has, a domain that carries
 * nothing (or nothing this process holds the key of), or no name at all: the handshake is refused
 * ({@code unrecognized_name}, or {@code handshake_failure} without SNI). After the handshake it answers any
 * HTTP request with a one-line 200, so that curl works too.
 */
final class TlsServer implements AutoCloseable {

    private static final int THREADS = 64;
    private static final int READ_TIMEOUT_MS = 5_000;

    private final World world;
    private final long seed;
    private final SSLServerSocket socket;
    private final ExecutorService connections;
    private volatile TlsFaults faults;
    private final LongAdder handshakes = new LongAdder();
    private final LongAdder refused = new LongAdder();

    private TlsServer(World world, long seed, TlsFaults faults, int port) throws IOException {
        this.world = world;
        this.seed = seed;
        this.faults = faults;
        SSLContext context;
        try {
            context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {new SniKeyManager(this::select)}, null, null);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
        this.socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(port, 128, InetAddress.getLoopbackAddress());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setSNIMatchers(List.of(new SNIMatcher(StandardConstants.SNI_HOST_NAME) {
            @Override
            public boolean matches(SNIServerName name) {
                boolean known = select(SniKeyManager.hostName(name)) != null;
                if (!known) {
                    refused.increment();
                }
                return known;
            }
        }));
        socket.setSSLParameters(parameters);
        AtomicInteger count = new AtomicInteger();
        this.connections = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "simulator-tls-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        Thread acceptor = new Thread(this::acceptLoop, "simulator-tls-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts serving TLS on 127.0.0.1:{@code port} (0: any free port). */
    static TlsServer start(World world, long seed, TlsFaults faults, int port) throws IOException {
        return new TlsServer(world, seed, faults == null ? TlsFaults.none() : faults, port);
    }

    int port() {
        return socket.getLocalPort();
    }

    TlsFaults faults() {
        return faults;
    }

    /** Takes effect from the next handshake. */
    void faults(TlsFaults value) {
        this.faults = value == null ? TlsFaults.none() : value;
    }

    long handshakes() {
        return handshakes.sum();
    }

    long refused() {
        return refused.sum();
    }

    /** What to present for {@code name} now, faults applied; null for nothing. */
    private SniKeyManager.Selection select(String name) {
        TlsMaterials.Presented presented = world.presented(name);
        if (presented == null) {
            return null;
        }
        TlsFaults f = faults;
        TlsMaterial material = f.stale(name, seed) ? presented.before() : presented.now();
        return material == null ? null : new SniKeyManager.Selection(material, f.broken(name));
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                SSLSocket connection = (SSLSocket) socket.accept();
                try {
                    connections.execute(() -> serve(connection));
                } catch (RejectedExecutionException closing) {
                    connection.close();
                }
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(SSLSocket connection) {
        try (connection) {
            connection.setSoTimeout(READ_TIMEOUT_MS);
            try {
                connection.startHandshake();
            } catch (IOException e) {
                return; // refused or given up by the client; counted by the matcher when the name was unknown
            }
            handshakes.increment();
            answerHttp(connection);
        } catch (IOException | RuntimeException e) {
            // the client went away; nothing to tell anyone
        }
    }

    /** Reads a request head (if the client sends one) and answers 200 with one line naming the name served. */
    private static void answerHttp(SSLSocket connection) throws IOException {
        InputStream in = connection.getInputStream();
        int matched = 0;
        int read = 0;
        int b;
        byte[] end = {'\r', '\n', '\r', '\n'};
        try {
            while (matched < 4 && read < 8192 && (b = in.read()) >= 0) {
                read++;
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
        } catch (SocketException | java.net.SocketTimeoutException e) {
            return;
        }
        if (matched < 4) {
            return;
        }
        String name = SniKeyManager.requestedName(connection.getSession());
        byte[] body = ("certform simulator: TLS for " + name + "\n").getBytes(StandardCharsets.UTF_8);
        OutputStream out = connection.getOutputStream();
        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        connections.shutdownNow();
    }
}
