package io.certform.cli;

import io.certform.cli.view.DiagnosticsView;
import io.certform.cli.view.Style;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderSession;
import io.certform.workflow.Workspace;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A command that reads the manifest: loading it, showing its diagnostics, opening the provider. */
abstract class ManifestCommand implements Callable<Integer>, Main.ContextAware {

    @Mixin
    CommonOptions common;

    Context context;

    @Override
    public void context(Context value) {
        this.context = value;
    }

    Style style() {
        return context.style(common.noColor);
    }

    DiagnosticsView diagnosticsView() {
        return new DiagnosticsView(context.err(), style());
    }

    /** The workspace, after showing its diagnostics; a workspace with errors ends the command with exit 1. */
    Workspace workspace() {
        Workspace workspace = Workspace.load(common.file, common.display(), common.state, context.environment(),
                context.clock(), Version.VALUE);
        if (!workspace.diagnostics().isEmpty()) {
            diagnosticsView().render(workspace.diagnostics());
        }
        if (!workspace.ok()) {
            throw new CliException(Main.ERROR, "");
        }
        return workspace;
    }

    /**
     * The state file: {@code --state}, else the manifest's. Only the manifest's structure is read, so the state can
     * be inspected even when a certificate or key is unavailable.
     */
    java.nio.file.Path statePath() {
        if (common.state != null) {
            return common.state;
        }
        // Unset variables read as empty here, so that inspecting state does not need the keys' variables.
        io.certform.manifest.ManifestParser.Result parsed = new io.certform.manifest.ManifestParser(name -> {
            String value = context.environment().get(name);
            return value == null ? "" : value;
        }).parse(common.file, common.display());
        if (parsed.manifest() == null) {
            diagnosticsView().render(parsed.diagnostics());
            throw new CliException(Main.ERROR, "cannot find the state file from the manifest; name it with --state FILE.");
        }
        return parsed.manifest().statePath();
    }

    ProviderSession session(Workspace workspace, List<DesiredBinding> bindings, int parallelism) {
        return session(workspace, bindings, parallelism, io.certform.api.GatewayClient.Timeouts.DEFAULT);
    }

    ProviderSession session(Workspace workspace, List<DesiredBinding> bindings, int parallelism,
                            io.certform.api.GatewayClient.Timeouts timeouts) {
        if (common.caBundle != null && !java.nio.file.Files.isRegularFile(common.caBundle)) {
            throw new CliException(Main.ERROR, "--ca-bundle " + common.caBundle + ": no such file.");
        }
        String logVariable = context.environment().get("CERTFORM_LOG_HTTP");
        boolean log = common.logHttp || (logVariable != null && !logVariable.isBlank() && !logVariable.equals("0"));
        io.certform.api.Transport transport = new io.certform.api.Transport("certform/" + Version.VALUE, parallelism,
                timeouts, common.caBundle, log ? context.err() : null);
        return new ProviderSession(workspace.manifest(), bindings, common.token, context.environment(), transport,
                context.clock());
    }
}
