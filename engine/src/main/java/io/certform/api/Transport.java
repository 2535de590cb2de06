package io.certform.api;

import io.certform.base.LibraryText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/**
 * How certform talks HTTP: timeouts (the TLS handshake's apart from the answer's), a connection pool sized for the
 * parallelism, TLS verification (always on; a private CA bundle adds trust anchors), an optional redacting debug
 * log, and the auth interceptor.
 *
 * @param caBundle PEM certificates to trust instead of the system's CAs (a private CA), or null for the system's
 * @param log      where the HTTP debug log goes, or null
 * @param label    what the log writes before each of its lines, in brackets (the provider's name when a manifest has
 *                 several), or null for no prefix
 */
public record Transport(String userAgent, int parallelism, GatewayClient.Timeouts timeouts, Path caBundle,
                        PrintWriter log, String label) {

    public Transport(String userAgent, int parallelism, GatewayClient.Timeouts timeouts, Path caBundle,
                     PrintWriter log) {
        this(userAgent, parallelism, timeouts, caBundle, log, null);
    }

    /** The same transport, its log lines prefixed with {@code [label]} (null: none). */
    public Transport labelled(String newLabel) {
        return new Transport(userAgent, parallelism, timeouts, caBundle, log, newLabel);
    }

    /** A client for the gateway, authenticated by {@code auth}. */
    public OkHttpClient client(Interceptor auth) throws IOException {
        OkHttpClient.Builder builder = base();
        builder.addInterceptor(auth);
        if (log != null) {
            builder.addInterceptor(new HttpLog(log, label));
        }
        return builder.build();
    }

    /** A client without gateway auth (for IAM). */
    public OkHttpClient plainClient() throws IOException {
        OkHttpClient.Builder builder = base();
        if (log != null) {
            builder.addInterceptor(new HttpLog(log, label));
        }
        return builder.build();
    }

    private OkHttpClient.Builder base() throws IOException {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(Math.max(64, parallelism));
        dispatcher.setMaxRequestsPerHost(Math.max(5, parallelism));
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(Math.max(5, parallelism), 5, TimeUnit.MINUTES))
                .connectTimeout(timeouts.connect())
                .readTimeout(timeouts.read())
                .writeTimeout(timeouts.read())
                .callTimeout(timeouts.call())
                .retryOnConnectionFailure(false)
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent)
                        .build()));
        X509TrustManager trust = caBundle != null ? trustManager(caBundle) : systemTrustManager();
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trust}, null);
            // the handshake has its own, shorter limit: a server that does not answer it does not speak TLS
            builder.sslSocketFactory(TlsHandshakes.bounded(tls.getSocketFactory(), timeouts.handshakeLimit()), trust)
                    .eventListener(TlsHandshakes.LISTENER);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS" + (caBundle == null ? "" : " with " + caBundle) + ": "
                    + LibraryText.clause(e), e);
        }
        return builder;
    }

    /** The system's trust anchors (the JDK's {@code cacerts}), as okhttp uses them by default. */
    private static X509TrustManager systemTrustManager() throws IOException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IOException("the JDK has no X.509 trust manager");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the system's trusted certificates: " + LibraryText.clause(e), e);
        }
    }

    /** A trust manager for the certificates of a PEM bundle. */
    static X509TrustManager trustManager(Path bundle) throws IOException {
        try (InputStream in = Files.newInputStream(bundle)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509")
                    .generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IOException(bundle + " holds no PEM certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IOException("no X.509 trust manager for " + bundle);
        } catch (GeneralSecurityException e) {
            throw new IOException(bundle + " is not a PEM certificate bundle: " + LibraryText.clause(e), e);
        }
    }
}
