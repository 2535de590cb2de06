package io.certform.cert;

import io.certform.base.Secret;
import java.util.List;

/**
 * The outcome of reading a certificate bundle and its key.
 *
 * @param info        null when the bundle could not be read
 * @param problems    every problem found, errors and warnings
 * @param keyToSend   the private key as the API takes it (decrypted when it was encrypted); null when unreadable
 */
public record LoadedCertificate(CertificateInfo info, List<CertificateProblem> problems, Secret keyToSend) {
    public LoadedCertificate {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return info != null && keyToSend != null && problems.stream().noneMatch(CertificateProblem::error);
    }

    public boolean hasErrors() {
        return info == null || problems.stream().anyMatch(CertificateProblem::error);
    }
}
