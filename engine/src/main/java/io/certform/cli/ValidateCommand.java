package io.certform.cli;

import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the manifest and every certificate and key it names.",
                "Reads local files only: no network, no state change."})
final class ValidateCommand extends ManifestCommand {

    @Override
    public Integer call() {
        Workspace workspace = workspace();
        long certificates = workspace.manifest().certificates().size();
        long bindings = workspace.desired().size();
        context.out().println(style().green(style().bold("Success!")) + " The manifest is valid: " + certificates
                + (certificates == 1 ? " certificate, " : " certificates, ") + bindings
                + (bindings == 1 ? " binding." : " bindings."));
        try (ProviderSession session = session(workspace, workspace.desired(), 1)) {
            context.out().println("  Endpoint:    " + session.describe());
            try {
                context.out().println("  Credentials: " + session.describeCredentials());
            } catch (ProviderException e) {
                context.out().println("  Credentials: " + style().yellow(e.getMessage()));
            }
        } catch (ProviderException e) {
            context.out().println("  " + e.getMessage());
        }
        return Main.OK;
    }
}
