package io.certform.acme;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j sessions for a directory URL: an {@code https} URL through a provider whose HTTP client trusts the
 * system's CAs and the request's {@code trust} (the ACME server's own TLS, {@code ca_bundle}); an {@code acme://}
 * URL through acme4j's own providers.
 */
final class AcmeSessions {

    private AcmeSessions() {
    }

    static Session open(AcmeRequest request, Duration timeout) {
        URI uri;
        try {
            uri = new URI(request.directoryUrl());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + request.directoryUrl() + "' is not an ACME directory URL: "
                    + e.getMessage());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        Session session;
        if (scheme.equals("https") || scheme.equals("http")) {
            session = new Session(uri, new TrustingProvider(sslContext(request.trust())));
        } else if (scheme.equals("acme")) {
            session = new Session(uri);
        } else {
            throw new IllegalArgumentException("'" + request.directoryUrl() + "' is not an ACME directory URL:"
                    + " expected https://... (or acme://...)");
        }
        session.networkSettings().setTimeout(timeout);
        return session;
    }

    /** The system's trusted CAs plus {@code extra}. */
    static SSLContext sslContext(List<X509Certificate> extra) {
        try {
            if (extra.isEmpty()) {
                return SSLContext.getDefault();
            }
            List<X509TrustManager> managers = new ArrayList<>();
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            KeyStore own = KeyStore.getInstance(KeyStore.getDefaultType());
            own.load(null, null);
            for (int i = 0; i < extra.size(); i++) {
                own.setCertificateEntry("ca-bundle-" + i, extra.get(i));
            }
            TrustManagerFactory bundle = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            bundle.init(own);
            for (TrustManagerFactory factory : List.of(bundle, system)) {
                for (TrustManager manager : factory.getTrustManagers()) {
                    if (manager instanceof X509TrustManager x509) {
                        managers.add(x509);
                    }
                }
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new EitherTrustManager(managers)}, null);
            return context;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot set up TLS trust for the ACME server: " + e.getMessage(), e);
        }
    }

    /** Trusts a server whose chain any of its managers trusts. */
    private record EitherTrustManager(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            throw new java.security.cert.CertificateException("no client certificates are accepted");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType)
                throws java.security.cert.CertificateException {
            java.security.cert.CertificateException last = null;
            for (X509TrustManager manager : managers) {
                try {
                    manager.checkServerTrusted(chain, authType);
                    return;
                } catch (java.security.cert.CertificateException e) {
                    last = e;
                }
            }
            throw last != null ? last : new java.security.cert.CertificateException("no trust manager");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }

    /** acme4j's generic provider, its HTTP client on our TLS context. */
    private static final class TrustingProvider extends GenericAcmeProvider {
        private final SSLContext ssl;

        TrustingProvider(SSLContext ssl) {
            this.ssl = ssl;
        }

        @Override
        protected HttpConnector createHttpConnector(NetworkSettings settings) {
            return new HttpConnector(settings) {
                @Override
                public HttpClient.Builder createClientBuilder() {
                    return super.createClientBuilder().sslContext(ssl);
                }
            };
        }
    }
}
