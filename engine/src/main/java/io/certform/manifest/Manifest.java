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
 * @param provider  the default provider ({@code provider:}, or {@code providers.default}), else the only or first
 *                  declared one: what a run against one gateway uses
 * @param rollout   the {@code rollout:} block ({@link RolloutSpec#NONE} when absent)
 * @param providers every provider in declared order, the default first when there is one
 * @param keystore  the {@code keystore:} block (the key store's password), or null when absent
 */
public record Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                       StateSettings state, RolloutSpec rollout, List<Provider> providers, KeystoreSpec keystore) {
    public Manifest {
        certificates = List.copyOf(certificates);
        if (providers == null || providers.isEmpty()) {
            providers = provider == null ? List.of() : List.of(provider);
        } else {
            providers = List.copyOf(providers);
            if (provider == null) {
                provider = providers.get(0);
            }
        }
        if (state == null) {
            state = StateSettings.local(statePath);
        }
        if (rollout == null) {
            rollout = RolloutSpec.NONE;
        }
    }

    /** A manifest of one provider (or the providers given) without a key store. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                    StateSettings state, RolloutSpec rollout, List<Provider> providers) {
        this(file, provider, statePath, certificates, state, rollout, providers, null);
    }

    /** A manifest of one provider without a key store. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                    StateSettings state, RolloutSpec rollout) {
        this(file, provider, statePath, certificates, state, rollout, null, null);
    }

    /** A manifest without a rollout block. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates,
                    StateSettings state) {
        this(file, provider, statePath, certificates, state, null);
    }

    /** The same manifest with its state in the local file {@code path} ({@code --state}). */
    public Manifest withLocalState(Path path) {
        return new Manifest(file, provider, path, certificates, null, rollout, providers, keystore);
    }

    /** A manifest whose state is the local file {@code statePath}. */
    public Manifest(Path file, Provider provider, Path statePath, List<CertificateSpec> certificates) {
        this(file, provider, statePath, certificates, null);
    }

    /** The provider named {@code name}, or null. */
    public Provider provider(String name) {
        for (Provider p : providers) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The names of the providers the bindings use, in declared order. */
    public List<String> providersUsed() {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (CertificateSpec c : certificates) {
            for (BindingSpec b : c.bindings()) {
                used.add(b.provider());
            }
        }
        return providers.stream().map(Provider::name).filter(used::contains).toList();
    }

    /** The entries issued by ACME. */
    public List<CertificateSpec> issued() {
        return certificates.stream().filter(CertificateSpec::issued).toList();
    }

    public List<BindingSpec> bindings() {
        return certificates.stream().flatMap(c -> c.bindings().stream()).toList();
    }
}
