package io.certform.cli;

import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.ResourceState;
import io.certform.state.StateException;
import io.certform.workflow.Importer;
import io.certform.workflow.LockedSession;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Adopt into the state the certificate already bound to a binding's domain.",
                "It must be the manifest's certificate for that binding (same serial number and expiry);"
                        + " a different one is reported, not adopted. ADDR KEY imports every declared domain of the"
                        + " certificate that already carries it, and names those it could not (exit 1 then, the"
                        + " others recorded). For a certificate with mode: shared, KEY adopts the certificate"
                        + " resource (found by name, or --id) and every declared domain attached to it;"
                        + " KEY[DOMAIN] adopts one attachment."})
final class ImportCommand extends ManifestCommand {

    @Parameters(paramLabel = "ADDR", description = "The binding's address, e.g. shop[api.example.com], or a"
            + " certificate's key (shop): every declared domain of it.")
    String address;

    @picocli.CommandLine.Option(names = "--id", paramLabel = "ID", description = "The shared certificate to adopt,"
            + " by its id (default: the one named as the manifest names it, if exactly one matches).")
    String certificateId;

    @Mixin
    LockOptions locking;

    @Override
    public Integer call() throws StateException, ProviderException {
        Workspace workspace = workspace();
        try (LockedSession run = LockedSession.open(workspace, "import", host(locking, 2), context.clock(),
                Version.VALUE)) {
            // the address names its provider (provider.P.KEY[DOMAIN]): its gateway is the one read
            ProviderSession session = run.fleet().sessions().getOrDefault(ResourceState.providerOf(address),
                    run.session());
            workspace.stateStore().checkWritable();
            if (certificateId == null && Importer.isPerDomainKey(workspace, address)) {
                return importCertificate(workspace, session);
            }
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

    /** {@code import KEY}: every declared domain of the certificate that carries it; says which could not be. */
    private int importCertificate(Workspace workspace, ProviderSession session) throws StateException,
            ProviderException, Importer.ImportException {
        Importer.CertificateImport done = Importer.importCertificate(workspace, session, address, Version.VALUE);
        for (ResourceState adopted : done.adopted()) {
            context.out().println("Imported " + adopted.address() + " [ssl_id=" + adopted.sslId()
                    + (adopted.serialNumber() == null ? "" : ", serial " + adopted.serialNumber()) + "].");
        }
        for (String managed : done.alreadyManaged()) {
            context.out().println("Already managed: " + managed + " (in the state).");
        }
        int total = done.adopted().size() + done.alreadyManaged().size() + done.notImported().size();
        if (done.notImported().isEmpty()) {
            context.out().println(style().green(style().bold("Import successful!")) + " Every declared domain of"
                    + " certificate '" + address + "' (" + total + ") is now managed by certform.");
            return Main.OK;
        }
        done.notImported().forEach((a, why) -> context.err().println(context.errStyle(common.noColor).red(
                "Not imported: ") + a + ": " + why));
        int failed = done.notImported().size();
        int adopted = done.adopted().size();
        throw new CliException(Main.ERROR, (total == 1 ? "The declared domain" : failed + " of the " + total
                + " declared domains") + " of certificate '" + address + "' could not be imported (listed above); "
                + adopted + (adopted == 1 ? " was" : " were") + " imported and recorded. 'certform apply' binds the manifest's"
                + " certificate where it is missing or different.");
    }
}
