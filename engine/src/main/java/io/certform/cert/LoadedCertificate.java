package io.certform.cert;

import java.util.List;

/**
 * The outcome of reading a certificate bundle and its key.
 *
 * @param info     null when the bundle could not be read
 * @param problems every problem found, errors and warnings
 */
public record LoadedCertificate(CertificateInfo info, List<CertificateProblem> problems) {
    public LoadedCertificate {
        problems = List.copyOf(problems);
    }

    public boolean ok() {
        return info != null && problems.stream().noneMatch(CertificateProblem::error);
    }
}
