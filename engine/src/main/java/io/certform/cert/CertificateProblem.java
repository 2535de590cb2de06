package io.certform.cert;

/**
 * A problem with a certificate or key, to be shown with the manifest position of the value it concerns.
 *
 * @param field   the manifest field at fault: {@code cert_content}, {@code private_key}, {@code trusted_root_ca}
 * @param summary what is wrong
 * @param detail  what to do
 */
public record CertificateProblem(boolean error, String field, String summary, String detail) {
}
