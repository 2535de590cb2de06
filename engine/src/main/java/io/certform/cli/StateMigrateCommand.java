package io.certform.cli;

import io.certform.state.postgres.PostgresStateStore;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.state.StateVersion;
import io.certform.workflow.StateStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Move the state to PostgreSQL or to a local file, with its kept history.",
                "The source is the state the manifest (or --state) names; it is left as it is. Refused when the"
                        + " target holds another state (another lineage) or a newer serial, or when either side has an"
                        + " unsettled journal. Then point the manifest's 'state' at the target."})
final class StateMigrateCommand extends ManifestCommand {

    @Option(names = "--to", required = true, paramLabel = "BACKEND", description = "postgres or local.")
    String to;

    @Option(names = "--url", paramLabel = "URL",
            description = "The PostgreSQL URL (default: CERTFORM_PG_URL, else the PG* variables). Prefer the variables:"
                    + " a password on the command line is visible to other users of the machine.")
    String url;

    @Option(names = "--workspace", paramLabel = "NAME", description = "The PostgreSQL workspace (default: default).")
    String workspace;

    @Option(names = "--schema", paramLabel = "NAME", description = "The PostgreSQL schema (default: certform).")
    String schema;

    @Option(names = "--path", paramLabel = "FILE",
            description = "The local state file to move to (default: the manifest's local state path).")
    Path path;

    @Mixin
    LockOptions locking;

    @Override
    public Integer call() throws StateException {
        StateStore source = stateStore();
        boolean fromPostgres = source instanceof PostgresStateStore;
        StateStore target;
        if (to.equals("postgres")) {
            if (fromPostgres) {
                throw new CliException(Main.ERROR, "the state is already in PostgreSQL (" + source.describe()
                        + "); '--to local' moves it to a file. Nothing was moved.");
            }
            try {
                target = StateStores.postgres(url, schema, workspace, context.environment(), Version.VALUE);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.ERROR, e.getMessage() + ". Nothing was moved.");
            }
        } else if (to.equals("local")) {
            if (!fromPostgres) {
                throw new CliException(Main.ERROR, "the state is already a local file (" + source.describe()
                        + "); '--to postgres' moves it to PostgreSQL. Nothing was moved.");
            }
            target = StateStores.local(path != null ? path : structure().statePath(), Version.VALUE);
        } else {
            throw new CliException(Main.ERROR, "--to takes postgres or local, not '" + to + "'.");
        }
        try (target;
             StateStore.Held sourceLock = locking.acquire(source, "state migrate", context::note);
             StateStore.Held targetLock = locking.acquire(target, "state migrate", context::note)) {
            StateCommand.refuseUnsettled(source);
            if (!target.journal().isEmpty()) {
                throw new CliException(Main.ERROR, target.describe() + " has an unsettled journal: run certform"
                        + " against it first. Nothing was moved.");
            }
            List<StateVersion> kept = source.history();
            if (kept.isEmpty()) {
                throw new CliException(Main.ERROR, source.describe() + " holds no state yet: nothing to move.");
            }
            List<State> versions = new ArrayList<>();
            for (int i = kept.size() - 1; i >= 0; i--) {
                source.version(kept.get(i).serial()).ifPresent(versions::add);
            }
            target.checkWritable();
            State before = target.read();
            target.adopt(versions);
            State moved = target.read();
            if (before.serial() == moved.serial() && before.lineage().equals(moved.lineage())) {
                context.out().println(target.describe() + " already holds this state (lineage " + moved.lineage()
                        + ", serial " + moved.serial() + "): nothing to move.");
                return Main.OK;
            }
            context.out().println("Moved the state (lineage " + moved.lineage() + ", serial " + moved.serial() + ", "
                    + moved.resources().size() + " binding(s), " + versions.size() + " version(s)) from "
                    + source.describe() + " to " + target.describe() + ".");
            context.out().println("The source is left as it was. Now point the manifest's 'state' at the target"
                    + (to.equals("postgres") ? " (state: { backend: postgres, workspace: "
                    + ((PostgresStateStore) target).location().workspace() + " })." : "."));
            return Main.OK;
        }
    }
}
