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
                        + " a different one is reported, not adopted. For a certificate with mode: shared, ADDR KEY"
                        + " adopts the certificate resource (found by name, or --id) and every declared domain"
                        + " attached to it; KEY[DOMAIN] adopts one attachment."})
final class ImportCommand extends ManifestCommand {

    @Parameters(paramLabel = "ADDR", description = "The binding's address, e.g. shop[api.example.com], or the key of"
            + " a shared certificate.")
    String address;

    @picocli.CommandLine.Option(names = "--id", paramLabel = "ID", description = "The shared certificate to adopt,"
            + " by its id (default: the one named as the manifest names it, if exactly one matches).")
    String certificateId;

    @Mixin
    LockOptions locking;

    @Override
    public Integer call() throws StateException, ProviderException {
        Workspace workspace = workspace();
        try (StateStore.Held lock = locking.acquire(workspace.stateStore(), "import");
             ProviderSession session = session(workspace, workspace.desired(), 2)) {
            workspace.stateStore().checkWritable();
            io.certform.workflow.Operations.recover(workspace, session, context.clock(), Version.VALUE, context::note);
            ResourceState adopted = Importer.importBinding(workspace, session, address, certificateId,
                    Version.VALUE);
            context.out().println(style().green(style().bold("Import successful!")) + " " + address + " is now managed"
                    + " by certform [ssl_id=" + adopted.sslId() + (adopted.serialNumber() == null ? ""
                    : ", serial " + adopted.serialNumber()) + "].");
            return Main.OK;
        } catch (Importer.ImportException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
    }
}
