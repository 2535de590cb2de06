package io.certform.verify;

import io.certform.base.Sleeper;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * Checks what a domain really serves: connects with the domain's name as SNI, reads the chain it presents
 * (trusting anything, only to read it), then checks that the leaf is the expected one (fingerprint and serial)
 * and that the chain verifies to the given roots (PKIX, no revocation, at the probe's clock time). A domain
 * serving another leaf, or unreachable, is probed again with growing pauses until it verifies or the propagation
 * window has passed; one serving the expected leaf with a chain that does not verify is not, since waiting
 * will not mend an upload. Immutable and thread-safe: many probes may run at once.
 */
public final class TlsProbe {

    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);

    /** One domain to probe and the leaf it should serve. */
    public record Target(String domain, ExpectedLeaf expected) {
    }

    private final ProbeSettings settings;
    private final Set<TrustAnchor> anchors;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SSLSocketFactory sockets;

    /**
     * @param roots   the trust anchors a served chain must verify to; at least one
     * @param clock   the time chains are verified at, and the propagation window is measured on
     * @param sleeper how the pauses between attempts are waited
     */
    public TlsProbe(ProbeSettings settings, List<X509Certificate> roots, Clock clock, Sleeper sleeper) {
        if (roots == null || roots.isEmpty()) {
            throw new IllegalArgumentException("verifying TLS needs at least one root certificate to trust");
        }
        this.settings = settings;
        Set<TrustAnchor> trusted = new LinkedHashSet<>();
        for (X509Certificate root : roots) {
            trusted.add(new TrustAnchor(root, null));
        }
        this.anchors = Set.copyOf(trusted);
        this.clock = clock;
        this.sleeper = sleeper;
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new ChainReader()}, null);
            this.sockets = context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    public ProbeSettings settings() {
        return settings;
    }

    /**
     * Probes {@code domain} until it verifies, serves the expected leaf with a broken chain, or the propagation
     * window has passed; the result is that of the last attempt, with the number of attempts.
     */
    public Verification verify(String domain, ExpectedLeaf expected) throws InterruptedException {
        java.time.Instant deadline = clock.instant().plus(settings.propagation());
        Duration pause = FIRST_PAUSE;
        int attempts = 1;
        Verification result = probeOnce(domain, expected);
        while (result.outcome() == Verification.Outcome.STALE
                || result.outcome() == Verification.Outcome.UNREACHABLE) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isZero() || left.isNegative()) {
                break;
            }
            sleeper.sleep(pause.compareTo(left) < 0 ? pause : left);
            attempts++;
            result = probeOnce(domain, expected);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
        if (attempts > 1 && !result.verified()) {
            result = new Verification(result.domain(), result.outcome(), result.detail() + " Probed " + attempts
                    + " times over the " + text(settings.propagation()) + " propagation window.",
                    result.servedSerial(), result.servedSha256(), result.at(), attempts);
        }
        return result.withAttempts(attempts);
    }

    /**
     * Verifies every target, at most {@code parallelism} at once; the results in the targets' order.
     */
    public List<Verification> verifyAll(List<Target> targets, int parallelism) throws InterruptedException {
        if (parallelism < 1) {
            throw new IllegalArgumentException("probe parallelism must be at least 1, not " + parallelism);
        }
        if (targets.isEmpty()) {
            return List.of();
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, targets.size()), r -> {
            Thread t = new Thread(r, "certform-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Verification>> running = new ArrayList<>(targets.size());
            for (Target target : targets) {
                running.add(pool.submit(() -> verify(target.domain(), target.expected())));
            }
            List<Verification> results = new ArrayList<>(targets.size());
            for (Future<Verification> future : running) {
                try {
                    results.add(future.get());
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One attempt, no retry. */
    public Verification probeOnce(String domain, ExpectedLeaf expected) {
        String address = settings.address(domain);
        X509Certificate[] chain;
        try {
            chain = servedChain(domain);
        } catch (IOException | IllegalArgumentException e) {
            return new Verification(domain, Verification.Outcome.UNREACHABLE, unreachable(domain, address, e),
                    null, null, clock.instant(), 1);
        }
        X509Certificate leaf = chain[0];
        String serial = leaf.getSerialNumber().toString(16);
        String sha256 = ExpectedLeaf.sha256(leaf);
        if (!expected.matches(leaf)) {
            return new Verification(domain, Verification.Outcome.STALE, domain + " at " + address
                    + " serves another certificate (serial " + serial + ", sha256 " + sha256
                    + ") than the new one (serial " + expected.serialNumber() + "): the gateway has not switched"
                    + " yet, or something else bound a certificate there. Allow more time (probe.propagation), or"
                    + " check the binding with certform refresh.", serial, sha256, clock.instant(), 1);
        }
        String problem = chainProblem(chain);
        if (problem != null) {
            return new Verification(domain, Verification.Outcome.BROKEN, domain + " at " + address
                    + " serves the new certificate (serial " + serial + "), but the chain it sends ("
                    + chain.length + (chain.length == 1 ? " certificate" : " certificates")
                    + ") does not verify to the declared roots: " + problem + ". Put the whole chain (leaf, then"
                    + " intermediates) in cert_content, or declare the roots it is issued under.",
                    serial, sha256, clock.instant(), 1);
        }
        return new Verification(domain, Verification.Outcome.VERIFIED, domain + " at " + address
                + " serves the new certificate (serial " + serial + ") and its chain verifies to the declared"
                + " roots.", serial, sha256, clock.instant(), 1);
    }

    /** The chain {@code domain} presents, leaf first. */
    private X509Certificate[] servedChain(String domain) throws IOException {
        String host = settings.host(domain);
        int port = settings.connectPort();
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        SNIHostName sni = new SNIHostName(domain);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(host, port), timeout);
            plain.setSoTimeout(timeout);
            try (SSLSocket socket = (SSLSocket) sockets.createSocket(plain, domain, port, true)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setServerNames(List.of(sni));
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                Certificate[] peer = socket.getSession().getPeerCertificates();
                if (peer.length == 0 || !(peer[0] instanceof X509Certificate)) {
                    throw new IOException("the server presented no X.509 certificate");
                }
                return Arrays.copyOf(peer, peer.length, X509Certificate[].class);
            }
        }
    }

    /** Why the chain does not verify to the anchors at the probe's clock time, or null when it does. */
    private String chainProblem(X509Certificate[] chain) {
        try {
            X509CertSelector leaf = new X509CertSelector();
            leaf.setCertificate(chain[0]);
            PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, leaf);
            parameters.setRevocationEnabled(false);
            parameters.setDate(Date.from(clock.instant()));
            parameters.addCertStore(CertStore.getInstance("Collection",
                    new CollectionCertStoreParameters(Arrays.asList(chain))));
            CertPathBuilder.getInstance("PKIX").build(parameters);
            return null;
        } catch (GeneralSecurityException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
    }

    private static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private String unreachable(String domain, String address, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            why = "no address for " + settings.host(domain);
        } else if (e instanceof java.net.SocketTimeoutException) {
            why = "no answer within " + text(settings.timeout()) + " (" + why + ")";
        } else if (e instanceof IllegalArgumentException) {
            why = "not a host name that can be sent as SNI (" + why + ")";
        }
        String advice;
        if (why.contains("unrecognized_name")) {
            advice = "The endpoint knows no certificate for this name: check that DNS (or probe.resolve) points at"
                    + " the gateway that carries this domain, and that the domain is bound.";
        } else if (e instanceof java.net.ConnectException || e instanceof java.net.UnknownHostException
                || e instanceof java.net.SocketTimeoutException || e instanceof java.net.NoRouteToHostException) {
            advice = "Nothing answered there: check the domain's DNS, probe.port, or set probe.resolve to the"
                    + " gateway's address (host:port).";
        } else {
            advice = "The TLS handshake failed: check that the gateway serves HTTPS for this name on that port.";
        }
        return "cannot read the certificate " + domain + " serves at " + address + ": " + why + ". " + advice;
    }
}
