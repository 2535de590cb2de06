package io.certform.cli;

import io.certform.base.Sleeper;

import io.certform.state.LockFile;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "force-unlock", mixinStandardHelpOptions = true,
        description = {"Remove a state lock left behind by a run that died.",
                "Only the lock with this id is removed; a running apply's lock must not be removed."})
final class ForceUnlockCommand extends ManifestCommand {

    @Parameters(paramLabel = "LOCK_ID", description = "The lock's id, as the locking error printed it.")
    String id;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    public Integer call() throws IOException {
        LockFile lock = new LockFile(statePath(), context.clock(), Sleeper.SYSTEM);
        if (!force) {
            context.out().println("Do you really want to force-unlock the state? Only 'yes' will be accepted.");
            context.out().print("  Enter a value: ");
            context.out().flush();
            String answer = context.in().readLine();
            if (answer == null || !answer.trim().equals("yes")) {
                throw new CliException(Main.ERROR, "force-unlock cancelled; the lock is still held.");
            }
        }
        try {
            StateLock removed = lock.forceUnlock(id);
            context.out().println("certform state has been unlocked (the lock was taken by " + removed.who()
                    + " for " + removed.operation() + " at " + removed.created() + ").");
            return Main.OK;
        } catch (StateLockException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
    }
}
