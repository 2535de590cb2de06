package io.certform.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Handshake;
import okhttp3.OkHttpClient;

/**
 * The TLS handshake as a phase of its own: bounded by the handshake timeout (not the read timeout of a slow API
 * answer), and told apart from the exchange that follows it, so that an {@code https://} endpoint that does not
 * speak TLS (a plain-HTTP port: silent, waiting for a request line, or answering in clear) is named at once instead
 * of being waited on and retried.
 */
final class TlsHandshakes {

    /**
     * Listens for the handshakes of the calls tagged with a {@link Progress}. One instance serves every call: the
     * state is in the tag.
     */
    static final EventListener LISTENER = new EventListener() {
        @Override
        public void secureConnectStart(Call call) {
            Progress progress = call.request().tag(Progress.class);
            if (progress != null) {
                progress.started = true;
            }
        }

        @Override
        public void secureConnectEnd(Call call, Handshake handshake) {
            Progress progress = call.request().tag(Progress.class);
            if (progress != null) {
                progress.finished = true;
            }
        }
    };

    private TlsHandshakes() {
    }

    /**
     * How far one call's TLS handshakes got (a request tag): a handshake begun and none finished means the call
     * failed in the handshake, before any byte of the request was written.
     */
    static final class Progress {
        private volatile boolean started;
        private volatile boolean finished;

        boolean failedInHandshake() {
            return started && !finished;
        }
    }

    /**
     * A socket factory whose TLS sockets wait at most {@code limit} for each answer of the server during the
     * handshake. okhttp sets the socket's read timeout before it wraps the socket for TLS and sets it again once the
     * handshake is done (for the exchange), so the limit covers the handshake only.
     */
    static SSLSocketFactory bounded(SSLSocketFactory delegate, Duration limit) {
        return new Bounded(delegate, limit);
    }

    /** The handshake limit of a client built by {@link Transport}, or its read timeout for another client. */
    static Duration limit(OkHttpClient client) {
        return client.sslSocketFactory() instanceof Bounded bounded ? bounded.limit
                : Duration.ofMillis(client.readTimeoutMillis());
    }

    /** A handshake that got no answer: the server read the ClientHello (or not) and said nothing in time. */
    static boolean isSilence(IOException e) {
        return e instanceof SocketTimeoutException;
    }

    /**
     * A handshake answered with something that is not TLS, such as a plain-HTTP {@code 400 Bad Request}: the JDK
     * reads it as an unrecognized record ("Unsupported or unrecognized SSL message"; older JDKs: "plaintext
     * connection?").
     */
    static boolean isPlainText(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof SSLException && (message.contains("unrecognized ssl message")
                    || message.contains("plaintext connection"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A handshake the server ended by closing the connection without a TLS answer ("Remote host terminated the
     * handshake"): a port that reads the ClientHello and hangs up, the same on every attempt.
     */
    static boolean isClosed(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof SSLException && message.contains("remote host terminated the handshake")) {
                return true;
            }
        }
        return false;
    }

    /** Whether a failed handshake is one a retry would meet again: no answer, plain text, or a hang-up. */
    static boolean isNotTls(IOException e) {
        return isSilence(e) || isPlainText(e) || isClosed(e);
    }

    /** What the server did, for a message: "did not answer ...", "answered ... in plain text", "closed ...". */
    static String what(IOException e, OkHttpClient client) {
        return isSilence(e) ? " did not answer the TLS handshake within " + seconds(limit(client))
                : isPlainText(e) ? " answered the TLS handshake in plain text"
                : " closed the connection during the TLS handshake";
    }

    /** {@code 10 s}, {@code 1.5 s}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString() + " s";
    }

    private static final class Bounded extends SSLSocketFactory {
        private final SSLSocketFactory delegate;
        private final Duration limit;

        Bounded(SSLSocketFactory delegate, Duration limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        /** What okhttp calls: wraps its connected socket, whose timeout the handshake's reads then have. */
        @Override
        public Socket createSocket(Socket socket, String host, int port, boolean autoClose) throws IOException {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, limit.toMillis())));
            return delegate.createSocket(socket, host, port, autoClose);
        }

        @Override
        public Socket createSocket() throws IOException {
            return delegate.createSocket();
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return delegate.createSocket(host, port);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return delegate.createSocket(host, port, localHost, localPort);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return delegate.createSocket(host, port);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return delegate.createSocket(address, port, localAddress, localPort);
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
