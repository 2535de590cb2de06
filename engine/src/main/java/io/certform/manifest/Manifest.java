package io.certform.manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed, resolved manifest.
 *
 * @param file      the manifest file
 * @param statePath the local state file (the manifest's {@code state} or its {@code path}, relative to the manifest,
 *                  or the default)
 * @param state     where the state lives (the local file, or a PostgreSQL workspace)
 */
public record Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                       StateSettings state) {
    public Manifest {
        certificates = List.copyOf(certificates);
        if (state == null) {
            state = StateSettings.local(statePath);
        }
    }

    /** A manifest whose state is the local file {@code statePath}. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates) {
        this(file, provider, statePath, certificates, null);
    }

    public List<BindingSpec> bindings() {
        return certificates.stream().flatMap(c -> c.bindings().stream()).toList();
    }
}
