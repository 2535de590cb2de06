package io.certform.acme;

import io.certform.base.Secret;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * One certificate to issue.
 *
 * @param directoryUrl   the ACME directory ({@code https://acme-v02.api.letsencrypt.org/directory})
 * @param contacts       the account's contacts ({@code mailto:ops@example.com}); may be empty
 * @param eab            the external account binding, or null when the CA needs none
 * @param keyType        the type of the certificate's fresh key
 * @param names          the names the certificate is for ({@code *.example.com}, {@code example.com}), at least one
 * @param preferredChain the common name of the root (or of any issuer) of the chain to prefer, or null for the CA's
 *                       default; a preference: the default chain is taken when no alternate matches
 * @param trust          the CAs that sign the ACME server's own TLS certificate, beside the system's; empty for the
 *                       system's alone
 */
public record AcmeRequest(String directoryUrl, List<String> contacts, Eab eab, KeyType keyType, List<String> names,
                          String preferredChain, List<X509Certificate> trust) {

    /** An external account binding: the key id and the HMAC key (base64url, as the CA gives it; a secret). */
    public record Eab(String keyId, Secret hmacKey) {
    }

    public AcmeRequest {
        contacts = List.copyOf(contacts);
        names = List.copyOf(names);
        trust = List.copyOf(trust);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("an ACME request needs at least one name");
        }
    }

    /** A request with no contact, no EAB, no preferred chain and the system's trust. */
    public static AcmeRequest of(String directoryUrl, KeyType keyType, List<String> names) {
        return new AcmeRequest(directoryUrl, List.of(), null, keyType, names, null, List.of());
    }

    public AcmeRequest withContacts(List<String> value) {
        return new AcmeRequest(directoryUrl, value, eab, keyType, names, preferredChain, trust);
    }

    public AcmeRequest withEab(Eab value) {
        return new AcmeRequest(directoryUrl, contacts, value, keyType, names, preferredChain, trust);
    }

    public AcmeRequest withPreferredChain(String value) {
        return new AcmeRequest(directoryUrl, contacts, eab, keyType, names, value, trust);
    }

    public AcmeRequest withTrust(List<X509Certificate> value) {
        return new AcmeRequest(directoryUrl, contacts, eab, keyType, names, preferredChain, value);
    }
}
