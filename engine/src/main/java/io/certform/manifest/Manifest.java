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
 * @param rollout   the {@code rollout:} block ({@link RolloutSpec#NONE} when absent)
 * @param keystore  the {@code keystore:} block (the key store's password), or null when absent
 */
public record Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                       StateSettings state, RolloutSpec rollout, KeystoreSpec keystore) {
    public Manifest {
        certificates = List.copyOf(certificates);
        if (state == null) {
            state = StateSettings.local(statePath);
        }
        if (rollout == null) {
            rollout = RolloutSpec.NONE;
        }
    }

    /** A manifest without a key store. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                    StateSettings state, RolloutSpec rollout) {
        this(file, provider, statePath, certificates, state, rollout, null);
    }

    /** A manifest without a rollout block. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                    StateSettings state) {
        this(file, provider, statePath, certificates, state, null);
    }

    /** The same manifest with its state in the local file {@code path} ({@code --state}). */
    public Manifest withLocalState(Path path) {
        return new Manifest(file, provider, path, certificates, null, rollout, keystore);
    }

    /** A manifest whose state is the local file {@code statePath}. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates) {
        this(file, provider, statePath, certificates, null);
    }

    /** The entries issued by ACME. */
    public List<CertificateSpec> issued() {
        return certificates.stream().filter(CertificateSpec::issued).toList();
    }

    public List<BindingSpec> bindings() {
        return certificates.stream().flatMap(c -> c.bindings().stream()).toList();
    }
}
