package io.certform.manifest;

import io.certform.base.SourceRange;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The manifest's {@code state}: where the state lives. Either a path (the local JSON file, the default) or a block
 * {@code { backend: local | postgres, path, url, workspace, schema, lease }}.
 *
 * @param path      the local state file (also where the embedded simulator keeps its world, beside it)
 * @param url       the PostgreSQL URL as resolved (may hold a password: never print it), or null for the environment's
 * @param workspace the PostgreSQL workspace, or null for the default
 * @param schema    the PostgreSQL schema, or null for the default
 * @param lease     the PostgreSQL lease length, or null for the default
 * @param range     where the manifest says it, or null when it does not
 * @param urlProblem why a {@code url} the manifest writes gave no URL (a variable it names is unset or empty), or
 *                   null: such a state is refused, never read from a server guessed from the defaults
 */
public record StateSettings(Backend backend, Path path, String url, String workspace, String schema, Duration lease,
                            SourceRange range, String urlProblem) {

    public StateSettings(Backend backend, Path path, String url, String workspace, String schema, Duration lease,
                         SourceRange range) {
        this(backend, path, url, workspace, schema, lease, range, null);
    }

    /** Where states are kept. */
    public enum Backend {
        LOCAL("local"),
        POSTGRES("postgres");

        private final String name;

        Backend(String name) {
            this.name = name;
        }

        /** As the manifest writes it. */
        public String manifestName() {
            return name;
        }

        static Backend fromManifest(String text) {
            for (Backend b : values()) {
                if (b.name.equals(text)) {
                    return b;
                }
            }
            return null;
        }
    }

    /** The local file at {@code path}. */
    public static StateSettings local(Path path) {
        return new StateSettings(Backend.LOCAL, path, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "StateSettings[" + backend.manifestName() + ", " + path + ", workspace " + workspace + "]";
    }
}
