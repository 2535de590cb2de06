package io.certform.workflow;

import io.certform.base.Environment;
import io.certform.base.Secret;
import io.certform.diag.Diagnostics;
import io.certform.keystore.Issued;
import io.certform.keystore.IssuedKeys;
import io.certform.keystore.KeystoreException;
import io.certform.manifest.CertificateSpec;
import io.certform.manifest.Manifest;
import io.certform.manifest.PreviousCertificate;
import io.certform.manifest.SourceValue;
import io.certform.plan.Pending;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the key store holds for the manifest's ACME entries, read without contacting the CA: each entry's current
 * certificate and the one before it, and whether it is due. An entry holding a certificate is bound like a
 * certificate read from files (its spec gets {@code cert_content}, {@code private_key} and {@code previous} from
 * the key store: {@link #withMaterial}), so plan, apply, rollout and rollback treat it as any other.
 */
final class AcmeMaterial {

    private static final Base64.Encoder PEM = Base64.getMimeEncoder(64, "\n".getBytes());

    /** Where an ACME entry stands. */
    enum Status {
        /** Issued and not yet due: bound as it is. */
        CURRENT,
        /** Issued, and now >= not_after - renew_before: the next apply renews it. */
        DUE,
        /** Never issued: the next apply issues it. */
        NEW
    }

    /** An ACME entry with what the key store holds for it. */
    record Held(CertificateSpec spec, Issued current, Issued previous, Status status, Duration renewBefore,
                Instant now) {

        /** What the plan says of it, or null when nothing happens to it. */
        Pending.Issuance pending() {
            return switch (status) {
                case CURRENT -> null;
                case NEW -> new Pending.Issuance(spec.key(), spec.acme().names().size(),
                        spec.acme().keyType().label());
                case DUE -> Pending.Issuance.renewal(spec.key(), spec.acme().names().size(),
                        spec.acme().keyType().label(),
                        Duration.between(now, current.leaf().getNotAfter().toInstant()).toDays(),
                        renewBefore.toDays());
            };
        }
    }

    private AcmeMaterial() {
    }

    /**
     * Reads the key store of {@code manifest} (which must have the {@code keystore:} block) and judges each ACME
     * entry; an error in {@code diagnostics} (never a secret) and an empty map when the store does not open.
     */
    static Map<String, Held> read(Manifest manifest, Environment environment, Instant now, Diagnostics diagnostics) {
        Map<String, Held> out = new LinkedHashMap<>();
        if (manifest.issued().isEmpty() || manifest.keystore() == null) {
            return out;
        }
        IssuedKeys keys;
        try {
            keys = IssuedKeys.load(StateStores.keystore(manifest, null, environment), manifest.keystore().password());
        } catch (KeystoreException | IllegalArgumentException e) {
            diagnostics.error(manifest.keystore().range(), "the key store does not open: " + e.getMessage(),
                    "The key store holds the keys of the certificates issued by ACME, encrypted with"
                            + " keystore.password. Give the password it was written with; nothing was sent.");
            return out;
        }
        return judge(manifest, keys, now);
    }

    /** Each ACME entry of {@code manifest} as {@code keys} holds it. */
    static Map<String, Held> judge(Manifest manifest, IssuedKeys keys, Instant now) {
        Map<String, Held> out = new LinkedHashMap<>();
        for (CertificateSpec spec : manifest.issued()) {
            Issued current = keys.get(spec.key()).orElse(null);
            Issued previous = keys.previous(spec.key()).orElse(null);
            if (current == null) {
                out.put(spec.key(), new Held(spec, null, previous, Status.NEW, null, now));
                continue;
            }
            Duration renewBefore = renewBefore(spec, current.leaf());
            Instant renewAt = current.leaf().getNotAfter().toInstant().minus(renewBefore);
            boolean namesChanged = !names(current.leaf()).equals(new java.util.TreeSet<>(spec.acme().names()));
            Status status = !now.isBefore(renewAt) || namesChanged ? Status.DUE : Status.CURRENT;
            out.put(spec.key(), new Held(spec, current, previous, status, renewBefore, now));
        }
        return out;
    }

    /** {@code renew_before}, or a third of the certificate's lifetime. */
    static Duration renewBefore(CertificateSpec spec, X509Certificate leaf) {
        if (spec.acme().renewBefore() != null) {
            return spec.acme().renewBefore();
        }
        return Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).dividedBy(3);
    }

    private static java.util.Set<String> names(X509Certificate leaf) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        out.add(String.valueOf(san.get(1)));
                    }
                }
            }
        } catch (java.security.cert.CertificateParsingException e) {
            return out;
        }
        return out;
    }

    /**
     * The spec of {@code held}'s entry with its current certificate as {@code cert_content}/{@code private_key}
     * and its previous one as {@code previous} (what a rollback restores); the spec unchanged when never issued.
     */
    static CertificateSpec withMaterial(Held held) {
        CertificateSpec s = held.spec();
        if (held.current() == null) {
            return s;
        }
        String origin = "key store (certificate '" + s.key() + "' issued by ACME)";
        SourceValue chain = new SourceValue(chainPem(held.current()), origin, s.acme().range());
        Secret key = new Secret(keyPem(held.current().privateKey()), origin, s.acme().range());
        PreviousCertificate previous = held.previous() == null ? null : new PreviousCertificate(
                new SourceValue(chainPem(held.previous()), "key store (previous)", s.acme().range()),
                new Secret(keyPem(held.previous().privateKey()), "key store (previous)", s.acme().range()),
                s.acme().range());
        return new CertificateSpec(s.key(), s.name(), chain, key, null, s.trustedRootCa(), s.type(), s.instanceId(),
                s.expiryWarningDays(), 0, s.preventDestroy(), s.bindings(), s.range(), null, null, previous,
                s.mode(), s.acme());
    }

    /** {@code manifest} with every held entry's material ({@link #withMaterial}). */
    static Manifest withMaterial(Manifest manifest, Map<String, Held> held) {
        List<CertificateSpec> certificates = new ArrayList<>();
        for (CertificateSpec c : manifest.certificates()) {
            Held h = held.get(c.key());
            certificates.add(h == null ? c : withMaterial(h));
        }
        return new Manifest(manifest.file(), manifest.provider(), manifest.statePath(), certificates,
                manifest.state(), manifest.rollout(), manifest.providers(), manifest.keystore());
    }

    /** What plans say of the held entries, in manifest order. */
    static List<Pending.Issuance> pending(Map<String, Held> held) {
        return held.values().stream().map(Held::pending).filter(java.util.Objects::nonNull).toList();
    }

    static String chainPem(Issued issued) {
        StringBuilder out = new StringBuilder();
        for (X509Certificate c : issued.chain()) {
            try {
                out.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalStateException("a stored certificate does not encode: " + e.getMessage(), e);
            }
        }
        return out.toString();
    }

    private static String keyPem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + PEM.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
