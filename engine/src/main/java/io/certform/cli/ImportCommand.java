package io.certform.cli;

import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.ResourceState;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import io.certform.workflow.Importer;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Adopt into the state the certificate already bound to a binding's domain.",
                "It must be the manifest's certificate for that binding (same serial number and expiry);"
                        + " a different one is reported, not adopted."})
final class ImportCommand extends ManifestCommand {

    @Parameters(paramLabel = "ADDR", description = "The binding's address, e.g. shop[api.example.com].")
    String address;

    @Mixin
    LockOptions locking;

    @Override
    public Integer call() throws StateException, ProviderException {
        Workspace workspace = workspace();
        try (StateStore.Held lock = locking.acquire(workspace.stateStore(), "import");
             ProviderSession session = session(workspace, workspace.desired(), 2)) {
            workspace.stateStore().checkWritable();
            io.certform.workflow.Operations.recover(workspace, session, context.clock(), Version.VALUE, context::note);
            ResourceState adopted = Importer.importBinding(workspace, session, address, Version.VALUE);
            context.out().println(style().green(style().bold("Import successful!")) + " " + address + " is now managed"
                    + " by certform [ssl_id=" + adopted.sslId() + ", serial " + adopted.serialNumber() + "].");
            return Main.OK;
        } catch (Importer.ImportException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
    }
}
