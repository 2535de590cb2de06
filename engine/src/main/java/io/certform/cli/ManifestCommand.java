package io.certform.cli;

import io.certform.cli.view.DiagnosticsView;
import io.certform.cli.view.Style;
import io.certform.plan.DesiredBinding;
import io.certform.provider.ProviderSession;
import io.certform.workflow.Workspace;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;

/** A command that reads the manifest: loading it, showing its diagnostics, opening the provider. */
abstract class ManifestCommand implements Callable<Integer>, Main.ContextAware, Main.Output, AutoCloseable {

    @Mixin
    CommonOptions common;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Context context;

    /** Stores this command opened, closed when it ends (a lease released, a connection closed). */
    private final java.util.List<io.certform.state.StateStore> opened = new java.util.ArrayList<>();

    @Override
    public void close() {
        opened.forEach(io.certform.state.StateStore::close);
        opened.clear();
    }

    @Override
    public void context(Context value) {
        this.context = value;
    }

    /** Whether the command writes JSON ({@code --json}): then diagnostics and errors are JSON on standard output. */
    @Override
    public boolean jsonOutput() {
        return false;
    }

    @Override
    public boolean noColor() {
        return common.noColor;
    }

    /** The style of standard output. */
    Style style() {
        return context.style(common.noColor);
    }

    /** Diagnostics: JSON lines on standard output with --json, else text on standard error. */
    DiagnosticsView diagnosticsView() {
        return Views.diagnostics(context, jsonOutput(), common.noColor);
    }

    /**
     * What a workflow operation of this command is given: the lock as {@code locking} takes it, and sessions of
     * {@code parallelism} connections.
     */
    CommandHost host(LockOptions locking, int parallelism) {
        return new CommandHost(context, locking, w -> session(w, w.desired(), parallelism),
                w -> fleet(w, parallelism, io.certform.api.GatewayClient.Timeouts.DEFAULT));
    }

    /** Whether the user gave this option (by any of its names) on the command line. */
    boolean given(String optionName) {
        return spec.commandLine().getParseResult().hasMatchedOption(optionName);
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
        opened.add(workspace.stateStore());
        return workspace;
    }

    /**
     * The state store: {@code --state FILE}, else the manifest's {@code state} (a local file or a PostgreSQL
     * workspace). Only the manifest's structure is read, as for {@link #statePath()}.
     */
    io.certform.state.StateStore stateStore() {
        io.certform.state.StateStore store;
        try {
            store = common.state != null
                    ? io.certform.workflow.StateStores.open(null, common.state, context.environment(), Version.VALUE)
                    : io.certform.workflow.StateStores.open(structure(), null, context.environment(), Version.VALUE);
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, "the state's PostgreSQL settings are wrong: " + e.getMessage()
                    + ". See docs/state.md.");
        }
        opened.add(store);
        return store;
    }

    /** The manifest as far as its structure goes (unset variables read as empty), or an error naming the problem. */
    io.certform.manifest.Manifest structure() {
        // Unset variables read as empty here, so that inspecting state does not need the keys' variables.
        io.certform.manifest.ManifestParser.Result parsed = ManifestStructure.read(context.environment(), common.file,
                common.display());
        if (parsed.manifest() == null) {
            diagnosticsView().render(parsed.diagnostics());
            throw new CliException(Main.ERROR, "cannot find the state from the manifest; name a state file with --state FILE.");
        }
        return parsed.manifest();
    }

    /**
     * The state file: {@code --state}, else the manifest's. Only the manifest's structure is read, so the state can
     * be inspected even when a certificate or key is unavailable.
     */
    java.nio.file.Path statePath() {
        if (common.state != null) {
            return common.state;
        }
        return structure().statePath();
    }

    ProviderSession session(Workspace workspace, List<DesiredBinding> bindings, int parallelism) {
        return session(workspace, bindings, parallelism, io.certform.api.GatewayClient.Timeouts.DEFAULT);
    }

    ProviderSession session(Workspace workspace, List<DesiredBinding> bindings, int parallelism,
                            io.certform.api.GatewayClient.Timeouts timeouts) {
        ProviderSession session = session(workspace.manifest(), bindings, parallelism, timeouts);
        // the state is used only against the gateways it records, per provider (and records a provider's from its
        // next write); one provider, the one the run's bindings use, until the run has a session per provider
        java.util.Map<String, io.certform.state.Gateway> gateways = new java.util.HashMap<>();
        io.certform.manifest.Provider runs = workspace.manifest().provider();
        gateways.put(runs == null ? io.certform.state.ResourceState.DEFAULT_PROVIDER : runs.name(),
                session.gateway()); // null: not known yet
        workspace.stateStore().expectGateways(gateways);
        return session;
    }

    /**
     * The run's sessions, one per provider of the manifest, each with its own bindings, its run settings over the
     * command line's ({@code parallelism}, timeouts) and its embedded simulator; the state is used only against the
     * gateways they reach, provider by provider (a provider the state does not record is recorded by its next write).
     */
    io.certform.workflow.Fleet fleet(Workspace workspace, int parallelism,
                                     io.certform.api.GatewayClient.Timeouts timeouts) {
        io.certform.manifest.Manifest manifest = workspace.manifest();
        java.util.Map<String, ProviderSession> sessions = new java.util.LinkedHashMap<>();
        java.util.Map<String, io.certform.state.Gateway> gateways = new java.util.HashMap<>();
        for (io.certform.manifest.Provider provider : manifest.providers()) {
            List<DesiredBinding> own = workspace.desired().stream()
                    .filter(d -> d.provider().equals(provider.name())).toList();
            io.certform.manifest.Provider.RunSettings run = provider.settings() == null
                    ? io.certform.manifest.Provider.RunSettings.NONE : provider.settings();
            io.certform.api.GatewayClient.Timeouts own_timeouts = new io.certform.api.GatewayClient.Timeouts(
                    run.connectTimeout() != null ? run.connectTimeout() : timeouts.connect(),
                    run.readTimeout() != null ? run.readTimeout() : timeouts.read(),
                    run.callTimeout() != null ? run.callTimeout() : timeouts.call(), timeouts.handshake());
            ProviderSession session = session(manifest, provider, own,
                    run.parallelism() != null ? run.parallelism() : parallelism, own_timeouts);
            sessions.put(provider.name(), session);
            gateways.put(provider.name(), session.gateway()); // null: not known yet
        }
        workspace.stateStore().expectGateways(gateways);
        return io.certform.workflow.Fleet.of(sessions);
    }

    /** A session for a manifest without its state: validate's preflight of a manifest that has errors elsewhere. */
    ProviderSession session(io.certform.manifest.Manifest manifest, List<DesiredBinding> bindings, int parallelism,
                            io.certform.api.GatewayClient.Timeouts timeouts) {
        return session(manifest, manifest.provider(), bindings, parallelism, timeouts);
    }

    /** A session for one of the manifest's providers, without the state (validate's preflight of each provider). */
    ProviderSession session(io.certform.manifest.Manifest manifest, io.certform.manifest.Provider provider,
                            List<DesiredBinding> bindings, int parallelism,
                            io.certform.api.GatewayClient.Timeouts timeouts) {
        if (common.caBundle != null && !java.nio.file.Files.isRegularFile(common.caBundle)) {
            throw new CliException(Main.ERROR, "--ca-bundle " + common.caBundle + ": no such file.");
        }
        String logVariable = context.environment().get("CERTFORM_LOG_HTTP");
        boolean log = common.logHttp || (logVariable != null && !logVariable.isBlank() && !logVariable.equals("0"));
        io.certform.api.Transport transport = new io.certform.api.Transport("certform/" + Version.VALUE, parallelism,
                timeouts.withHandshake(common.tlsHandshakeTimeout()), common.caBundle, log ? context.err() : null);
        return new ProviderSession(manifest, provider, bindings, common.token, context.environment(), transport,
                context.clock());
    }
}
