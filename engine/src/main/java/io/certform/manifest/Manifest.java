package io.certform.manifest;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed, resolved manifest.
 *
 * @param file      the manifest file
 * @param statePath the state file (the manifest's {@code state}, relative to the manifest, or the default)
 */
public record Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates) {
    public Manifest {
        certificates = List.copyOf(certificates);
    }

    public List<BindingSpec> bindings() {
        return certificates.stream().flatMap(c -> c.bindings().stream()).toList();
    }
}
