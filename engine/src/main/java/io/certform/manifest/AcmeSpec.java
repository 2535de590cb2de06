package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.SourceRange;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The {@code acme:} block of a certificate entry: the certificate is issued by an ACME CA (RFC 8555) instead of read
 * from files. Until it is issued, the entry has no certificate material ({@link CertificateSpec#certContent()} is
 * null); the issued key and chain live in the key store ({@link KeystoreSpec}).
 *
 * @param directory      the ACME directory URL (https, or http to a loopback address)
 * @param contacts       the account's contact URLs ({@code mailto:}); empty when absent
 * @param eab            the external account binding, or null
 * @param keyType        the certificate key's type ({@code ec256} by default)
 * @param names          the names to order: as written, or the entry's domains' names (a {@code match:} pattern's
 *                       wildcard counts as its name)
 * @param namesDeclared  whether {@code names} was written (else it is the default)
 * @param challenge      how the dns-01 challenges are answered
 * @param renewBefore    renew when fewer than this remains; null for the default, a third of the lifetime
 * @param preferredChain the issuer name of the preferred alternate chain, or null
 * @param caBundle       the PEM trust for the ACME server's own TLS, or null (then the JDK's trust)
 * @param range          where the block starts
 */
public record AcmeSpec(String directory, List<String> contacts, Eab eab, KeyType keyType, List<String> names,
                       boolean namesDeclared, Challenge challenge, Duration renewBefore, String preferredChain,
                       SourceValue caBundle, SourceRange range) {

    public AcmeSpec {
        contacts = List.copyOf(contacts);
        names = List.copyOf(names);
    }

    /** External account binding: the CA's key id, and its HMAC key (always a reference). */
    public record Eab(String keyId, Secret hmacKey) {
    }

    /**
     * A dns-01 challenge: through Huawei Cloud DNS ({@code huaweicloud}, the provider's credentials) or the user's
     * commands ({@code exec}).
     *
     * @param dns       {@code huaweicloud} or {@code exec}
     * @param present   the command that creates the record ({@code exec} only; else empty)
     * @param cleanup   the command that removes it ({@code exec} only; else empty)
     * @param resolvers name servers ({@code HOST:PORT}) to check propagation with; empty: the zone's own
     * @param endpoint  the Huawei Cloud DNS endpoint, or null (the provider's endpoint, else the region's)
     */
    public record Challenge(String dns, List<String> present, List<String> cleanup, List<String> resolvers,
                            String endpoint) {
        public Challenge {
            present = List.copyOf(present);
            cleanup = List.copyOf(cleanup);
            resolvers = List.copyOf(resolvers);
        }

        public boolean exec() {
            return "exec".equals(dns);
        }
    }

    /** The key types a certificate can be ordered with. */
    public enum KeyType {
        RSA2048("RSA 2048", "RSA", 2048), RSA3072("RSA 3072", "RSA", 3072), RSA4096("RSA 4096", "RSA", 4096),
        EC256("EC P-256", "EC", 256), EC384("EC P-384", "EC", 384);

        private final String label;
        private final String algorithm;
        private final int size;

        KeyType(String label, String algorithm, int size) {
            this.label = label;
            this.algorithm = algorithm;
            this.size = size;
        }

        /** As the manifest writes it: {@code ec256}. */
        public String manifestName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** As people say it: {@code EC P-256}, {@code RSA 2048}. */
        public String label() {
            return label;
        }

        /** {@code RSA} or {@code EC}. */
        public String algorithm() {
            return algorithm;
        }

        /** The RSA modulus or the curve's size, in bits. */
        public int bits() {
            return size;
        }

        /** The type {@code word} names, or null. */
        public static KeyType fromManifest(String word) {
            for (KeyType t : values()) {
                if (t.manifestName().equals(word)) {
                    return t;
                }
            }
            return null;
        }
    }
}
