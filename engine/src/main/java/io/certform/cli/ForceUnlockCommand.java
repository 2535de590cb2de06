package io.certform.cli;

import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "force-unlock", mixinStandardHelpOptions = true,
        description = {"Release a state lock whose holder is gone.",
                "A local state's lock is held by the operating system and released when its process ends (even"
                        + " after kill -9): there is nothing to force, and a lock held by a running process is"
                        + " refused, naming it. A shared state's lease is released by its id."})
final class ForceUnlockCommand extends ManifestCommand {

    @Parameters(paramLabel = "LOCK_ID", description = "The lock's id, as the locking error printed it.")
    String id;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        StateStore store = stateStore();
        if (!force) {
            try {
                store.holder().ifPresent(h -> context.out().println("The state (" + store.describe() + ") is locked by "
                        + h.who() + ", pid " + h.pid() + ", for " + h.operation() + " since " + h.created()
                        + (h.expires() == null ? "" : "; its lease expires at " + h.expires() + " unless that run renews"
                        + " it") + " (lock id " + h.id() + "). If that run is still alive, breaking its lock lets"
                        + " another run change the state beside it; the broken run is refused at its next write."));
            } catch (io.certform.state.StateException e) {
                throw new CliException(Main.ERROR, e.getMessage());
            }
            context.out().println("Do you really want to force-unlock the state? Only 'yes' will be accepted.");
            context.out().print("  Enter a value: ");
            context.out().flush();
            String answer = context.in().readLine();
            if (answer == null || !answer.trim().equals("yes")) {
                throw new CliException(Main.ERROR, "force-unlock cancelled; the lock is still held.");
            }
        }
        try {
            StateLock removed = store.forceUnlock(id);
            context.out().println("certform state has been unlocked (the lock was taken by " + removed.who()
                    + " for " + removed.operation() + " at " + removed.created() + ").");
            return Main.OK;
        } catch (StateLockException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
    }
}
