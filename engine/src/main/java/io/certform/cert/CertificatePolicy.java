package io.certform.cert;

/**
 * How close to expiry a certificate may be.
 *
 * @param expiryWarningDays fewer days left than this is a warning
 * @param minDaysRemaining  fewer days left than this is an error: the certificate is not worth binding
 */
public record CertificatePolicy(int expiryWarningDays, int minDaysRemaining) {
    public static final CertificatePolicy DEFAULT = new CertificatePolicy(30, 7);
}
