package io.certform.cli;

import io.certform.cli.view.CertificatesView;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "certs", mixinStandardHelpOptions = true,
        description = {"List the manifest's certificates: algorithm, subject, SANs, issuer, expiry, days left,"
                + " bindings, status (ok, expiring, expired, invalid), soonest expiry first.",
                "Exits 1 when any certificate has an error, so CI can gate on it. Reads local files only."})
final class CertsCommand extends ManifestCommand {

    @Option(names = {"--json", "-json"}, description = "Print the list as JSON.")
    boolean json;

    @Override
    public boolean jsonOutput() {
        return json;
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.load(common.file, common.display(), common.state, context.environment(),
                context.clock(), Version.VALUE);
        if (workspace.manifest() == null) {
            diagnosticsView().render(workspace.diagnostics());
            return Main.ERROR;
        }
        CertificatesView view = new CertificatesView(context.out(), style());
        if (json) {
            view.json(workspace.certificates(), context.clock().instant());
        } else {
            view.table(workspace.certificates(), context.clock().instant());
            if (!workspace.diagnostics().isEmpty()) {
                context.err().println();
                diagnosticsView().render(workspace.diagnostics());
            }
        }
        boolean anyError = workspace.certificates().stream().anyMatch(r -> r.loaded().hasErrors())
                || workspace.diagnostics().hasErrors();
        return anyError ? Main.ERROR : Main.OK;
    }
}
