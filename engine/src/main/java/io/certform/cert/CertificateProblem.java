package io.certform.cert;

/**
 * A problem with a certificate or key, to be shown with the manifest position of the value it concerns.
 *
 * @param field   the manifest field at fault: {@code cert_content}, {@code private_key}, {@code trusted_root_ca}
 * @param summary what is wrong
 * @param detail  what to do
 * @param kind    {@link Kind#EXPIRY} for the validity-window checks, {@link Kind#KEY_MISMATCH} for a key that is not
 *                the certificate's, {@link Kind#OTHER} for the rest
 */
public record CertificateProblem(boolean error, String field, String summary, String detail, Kind kind) {

    /** Which family of check raised the problem, so that reports need not read the message. */
    public enum Kind { EXPIRY, KEY_MISMATCH, OTHER }

    public CertificateProblem(boolean error, String field, String summary, String detail) {
        this(error, field, summary, detail, Kind.OTHER);
    }
}
