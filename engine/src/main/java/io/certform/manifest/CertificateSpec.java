package io.certform.manifest;

import io.certform.base.Secret;

import io.certform.base.SourceRange;
import java.util.List;

/**
 * One entry of {@code certificates}: a certificate, its key, and the domains it belongs on.
 *
 * @param key           the entry's key in the manifest, the first part of every binding's address
 * @param name          the certificate name sent to the API
 * @param trustedRootCa optional; null when absent
 * @param type          {@code global} or {@code instance}
 * @param instanceId    the instance of an {@code instance}-scoped certificate
 * @param passphrase    decrypts an encrypted private key; null when absent
 * @param expiryWarningDays fewer days left is a warning (from the certificate, defaults, or 30)
 * @param minDaysRemaining  fewer days left is an error (from the certificate, defaults, or 7)
 * @param preventDestroy    {@code lifecycle.prevent_destroy}: a plan that would delete one of its bindings fails
 * @param algorithmType     the declared {@code algorithm_type} ({@code RSA}, {@code ECC}, {@code SM2}), or null
 * @param sm2Sign           the signing pair of an SM2 dual certificate, or null
 * @param previous          the material a rollback restores ({@code previous:}), or null
 * @param mode              {@code shared} for the certificate-management model; null for {@code per-domain}
 * @param acme              the {@code acme:} block of an issued certificate, or null for one read from files; an
 *                          ACME entry has no {@code certContent} or {@code privateKey}: its material exists only
 *                          once issued, in the key store
 */
public record CertificateSpec(String key, String name, SourceValue certContent, Secret privateKey, Secret passphrase,
                              SourceValue trustedRootCa, String type, String instanceId, int expiryWarningDays,
                              int minDaysRemaining, boolean preventDestroy, List<BindingSpec> bindings,
                              SourceRange range, String algorithmType, SignPair sm2Sign,
                              PreviousCertificate previous, String mode, AcmeSpec acme) {
    public CertificateSpec {
        bindings = List.copyOf(bindings);
    }

    public CertificateSpec(String key, String name, SourceValue certContent, Secret privateKey, Secret passphrase,
                           SourceValue trustedRootCa, String type, String instanceId, int expiryWarningDays,
                           int minDaysRemaining, boolean preventDestroy, List<BindingSpec> bindings,
                           SourceRange range, String algorithmType, SignPair sm2Sign,
                           PreviousCertificate previous, String mode) {
        this(key, name, certContent, privateKey, passphrase, trustedRootCa, type, instanceId, expiryWarningDays,
                minDaysRemaining, preventDestroy, bindings, range, algorithmType, sm2Sign, previous, mode, null);
    }

    /** Issued by ACME ({@link #acme()} non-null): no certificate material until it is issued. */
    public boolean issued() {
        return acme != null;
    }

    public CertificateSpec(String key, String name, SourceValue certContent, Secret privateKey, Secret passphrase,
                           SourceValue trustedRootCa, String type, String instanceId, int expiryWarningDays,
                           int minDaysRemaining, boolean preventDestroy, List<BindingSpec> bindings,
                           SourceRange range, String algorithmType, SignPair sm2Sign) {
        this(key, name, certContent, privateKey, passphrase, trustedRootCa, type, instanceId, expiryWarningDays,
                minDaysRemaining, preventDestroy, bindings, range, algorithmType, sm2Sign, null, null, null);
    }

    /** In the certificate-management model: one certificate resource, attached to every domain. */
    public boolean shared() {
        return "shared".equals(mode);
    }

    public CertificateSpec(String key, String name, SourceValue certContent, Secret privateKey, Secret passphrase,
                           SourceValue trustedRootCa, String type, String instanceId, int expiryWarningDays,
                           int minDaysRemaining, boolean preventDestroy, List<BindingSpec> bindings,
                           SourceRange range) {
        this(key, name, certContent, privateKey, passphrase, trustedRootCa, type, instanceId, expiryWarningDays,
                minDaysRemaining, preventDestroy, bindings, range, null, null, null, null, null);
    }

    /**
     * The signing certificate and key of an SM2 dual certificate ({@code cert_content_sign},
     * {@code private_key_sign}); the encryption pair is {@code cert_content} / {@code private_key}.
     */
    public record SignPair(SourceValue certContent, Secret privateKey) {
    }
}
