package io.certform.workflow;

import io.certform.base.Environment;
import io.certform.manifest.Manifest;
import io.certform.manifest.StateSettings;
import io.certform.state.local.LocalStateStore;
import io.certform.state.postgres.PostgresLocation;
import io.certform.state.postgres.PostgresStateStore;
import io.certform.state.StateStore;
import java.nio.file.Path;

/**
 * The one place a command's state store is chosen: {@code --state FILE} (a local file), else the manifest's
 * {@code state} (the local file, or a PostgreSQL workspace whose server comes from {@code state.url},
 * {@code CERTFORM_PG_URL} or the PG* variables). Opening a store connects to nothing; its first use does.
 */
public final class StateStores {

    private StateStores() {
    }

    /**
     * The store of {@code manifest}'s state.
     *
     * @param stateOverride {@code --state}, or null
     * @throws IllegalArgumentException naming what is wrong with the PostgreSQL settings (never a password)
     */
    public static StateStore open(Manifest manifest, Path stateOverride, Environment environment, String version) {
        if (stateOverride != null) {
            return new LocalStateStore(stateOverride, version);
        }
        StateSettings settings = manifest.state();
        if (settings.backend() == StateSettings.Backend.POSTGRES) {
            return new PostgresStateStore(postgres(settings, environment), version);
        }
        return new LocalStateStore(settings.path(), version);
    }

    /**
     * The key store of ACME issuance beside {@code manifest}'s state, in the same backend: the file
     * {@code NAME.keystore.p12} beside a local state {@code NAME.json} ({@code --state} included), or a table of
     * the PostgreSQL workspace. Opening it connects to nothing.
     *
     * @throws IllegalArgumentException naming what is wrong with the PostgreSQL settings (never a password)
     */
    public static io.certform.keystore.KeyStorage keystore(Manifest manifest, Path stateOverride,
                                                          Environment environment) {
        if (stateOverride != null) {
            return io.certform.keystore.local.LocalKeyStorage.besideState(stateOverride);
        }
        StateSettings settings = manifest.state();
        if (settings.backend() == StateSettings.Backend.POSTGRES) {
            return new io.certform.keystore.postgres.PostgresKeyStorage(postgres(settings, environment));
        }
        return io.certform.keystore.local.LocalKeyStorage.besideState(settings.path());
    }

    /**
     * The journal of ACME issuance beside {@code manifest}'s key store, in the same backend: the file
     * {@code NAME.issuance.json} beside a local state {@code NAME.json}, or the row {@code WORKSPACE/issuance} of the
     * key store's table. It holds order URLs and challenge records, never a key.
     */
    public static io.certform.keystore.KeyStorage issuanceLog(Manifest manifest, Path stateOverride,
                                                             Environment environment) {
        Path state = stateOverride;
        if (state == null) {
            StateSettings settings = manifest.state();
            if (settings.backend() == StateSettings.Backend.POSTGRES) {
                return new io.certform.keystore.postgres.PostgresKeyStorage(postgres(settings, environment),
                        "/issuance");
            }
            state = settings.path();
        }
        String name = state.getFileName().toString();
        String base = name.endsWith(".json") ? name.substring(0, name.length() - ".json".length()) : name;
        return new io.certform.keystore.local.LocalKeyStorage(state.resolveSibling(base + ".issuance.json"));
    }

    /** A local state file, named outright (a migration's target, the addresses shell completion offers). */
    public static StateStore local(Path file, String version) {
        return new LocalStateStore(file, version);
    }

    /**
     * A PostgreSQL workspace named outright ({@code state migrate --to postgres}): the server from {@code url}, else
     * {@code CERTFORM_PG_URL} or the PG* variables.
     *
     * @throws IllegalArgumentException naming what is wrong (never a password)
     */
    public static StateStore postgres(String url, String schema, String workspace, Environment environment,
                                      String version) {
        return new PostgresStateStore(PostgresLocation.resolve(url, schema, workspace, null, environment), version);
    }

    /** The PostgreSQL location the settings name (the manifest's values, else the environment's and defaults). */
    public static PostgresLocation postgres(StateSettings settings, Environment environment) {
        if (settings.urlProblem() != null) {
            throw new IllegalArgumentException(settings.urlProblem() + "; set it (a PostgreSQL state is never read from"
                    + " a server guessed from defaults), or remove url: to use CERTFORM_PG_URL or the PG* variables");
        }
        return PostgresLocation.resolve(settings.url(), settings.schema(), settings.workspace(), settings.lease(),
                environment);
    }
}
