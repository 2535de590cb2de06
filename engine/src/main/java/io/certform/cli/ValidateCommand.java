package io.certform.cli;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the manifest, every certificate and key it names, and the credentials a run would use.",
                "Reads local files and the environment only: no network, no state change. Exits 1 on any error,"
                        + " including half-set credentials (an access key without its secret key)."})
final class ValidateCommand extends ManifestCommand {

    @Option(names = {"--json", "-json"},
            description = "Print each diagnostic as a JSON line, then {\"type\":\"validate\",\"valid\":...}.")
    boolean json;

    @Override
    public boolean jsonOutput() {
        return json;
    }

    @Override
    public Integer call() {
        Workspace workspace = Workspace.load(common.file, common.display(), common.state, context.environment(),
                context.clock(), Version.VALUE);
        Diagnostics diagnostics = new Diagnostics();
        diagnostics.addAll(workspace.diagnostics());
        String endpoint = null;
        String credentials = null;
        String providerNote = null;
        if (workspace.manifest() != null) {
            // the endpoint is named even when a certificate has an error: the summary says where a run would go
            try (ProviderSession session = session(workspace, workspace.desired(), 1)) {
                endpoint = session.describe();
                if (workspace.ok()) {
                    try {
                        credentials = session.describeCredentials();
                    } catch (ProviderException e) {
                        diagnostics.add(Diagnostic.error(null, e.getMessage(), "Every run that calls the gateway"
                                + " would fail on it before sending anything: set what is missing, or unset the"
                                + " rest."));
                    }
                }
            } catch (ProviderException e) {
                providerNote = e.getMessage();
            }
        }
        if (!diagnostics.isEmpty()) {
            diagnosticsView().render(diagnostics);
        }
        boolean valid = workspace.ok() && !diagnostics.hasErrors();
        if (json) {
            summary(workspace, diagnostics, valid, endpoint, credentials);
        } else if (valid) {
            long certificates = workspace.manifest().certificates().size();
            long bindings = workspace.desired().size();
            context.out().println(style().green(style().bold("Success!")) + " The manifest is valid: " + certificates
                    + (certificates == 1 ? " certificate, " : " certificates, ") + bindings
                    + (bindings == 1 ? " binding." : " bindings."));
            context.out().println("  Endpoint:    " + endpoint);
            context.out().println("  Credentials: " + credentials);
            if (providerNote != null) {
                context.out().println("  " + providerNote);
            }
        }
        return valid ? Main.OK : Main.ERROR;
    }

    private void summary(Workspace workspace, Diagnostics diagnostics, boolean valid, String endpoint,
                         String credentials) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "validate");
        node.put("valid", valid);
        node.put("error_count", diagnostics.errorCount());
        node.put("warning_count", diagnostics.all().size() - diagnostics.errorCount());
        if (workspace.manifest() != null) {
            node.put("certificates", workspace.manifest().certificates().size());
            // with an error, the bindings are not built: count the domains the manifest declares
            node.put("bindings", workspace.ok() ? workspace.desired().size() : workspace.manifest().certificates()
                    .stream().mapToLong(c -> c.bindings().stream().filter(b -> !b.isPattern()).count()).sum());
        }
        node.put("endpoint", endpoint);
        node.put("credentials", credentials);
        context.out().println(mapper.writeValueAsString(node));
    }
}
