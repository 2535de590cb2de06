package io.certform.api;

/** What the add-certificate call answers: the domain and the certificate now bound to it. */
public record CertificateBinding(String domainId, String urlDomain, String sslId, String sslName) {
}
