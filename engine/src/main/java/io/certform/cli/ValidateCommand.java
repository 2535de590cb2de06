package io.certform.cli;

import io.certform.diag.Diagnostic;
import io.certform.diag.Diagnostics;
import io.certform.manifest.Manifest;
import io.certform.manifest.ManifestParser;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.base.Environment;
import io.certform.state.postgres.PostgresLocation;
import io.certform.state.postgres.PostgresStateStore;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Check the manifest, every certificate and key it names, and the endpoint, project, state and"
                + " credentials a run would use.",
                "Reads local files and the environment only: no network, no state change. Exits 1 on any error that"
                        + " would stop plan or apply before their first call: no project id, no credentials or"
                        + " half-set ones (an access key without its secret key), no endpoint, an empty state.url."
                        + " Every problem is shown in one run: an error in a certificate or the state settings does"
                        + " not hide the endpoint, project and credentials check. A manifest of several providers"
                        + " is checked per provider: each one's endpoint, project and credential source is shown,"
                        + " and a provider without credentials is an error naming it."})
final class ValidateCommand extends ManifestCommand {

    @Option(names = {"--json", "-json"},
            description = "Print each diagnostic as a JSON line, then {\"type\":\"validate\",\"valid\":...,\"endpoint\":...,"
                    + "\"project\":...,\"state\":...,\"credentials\":...,\"providers\":[{\"name\":...,\"endpoint\":...,"
                    + "\"project\":...,\"project_source\":...,\"credentials\":...}]}; the top-level endpoint, project and"
                    + " credentials are the default provider's (else the one the bindings use).")
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
        io.certform.workflow.ExpiryHold.note(workspace.expiryHolds(), diagnostics);
        ProviderSession.Preflight preflight = null;
        String state = null;
        // a manifest with an error elsewhere (a missing certificate file, an unset variable) is still checked for
        // its endpoint, project and credentials: every problem in one run
        Manifest read = workspace.manifest() != null ? workspace.manifest()
                : new ManifestParser(context.environment()).parse(common.file, common.display()).read();
        // unless the error is in the provider block itself: a preflight of a half-read provider would report its
        // error a second time ("no project id" after "provider.project_id ... is not a string")
        boolean providerError = workspace.diagnostics().all().stream().anyMatch(d -> d.severity()
                == io.certform.diag.Severity.ERROR && (d.summary().contains("provider.")
                || d.summary().contains("providers.") || d.summary().contains("'provider'")));
        java.util.Map<String, ProviderSession.Preflight> each = new java.util.LinkedHashMap<>();
        if (read != null && read.provider() != null && (workspace.manifest() != null || !providerError)) {
            boolean fleet = read.providers().size() > 1;
            for (io.certform.manifest.Provider provider : read.providers()) {
                ProviderSession.Preflight checked = null;
                boolean main = provider == read.provider();
                try (ProviderSession session = main && workspace.manifest() != null
                        ? session(workspace, workspace.desired(), 1)
                        : session(read, provider, java.util.List.of(), 1,
                        io.certform.api.GatewayClient.Timeouts.DEFAULT)) {
                    checked = session.preflight();
                } catch (ProviderException e) {
                    diagnostics.add(Diagnostic.error(null, (fleet ? "provider " + provider.name() + ": " : "")
                            + e.getMessage(), ""));
                }
                for (String problem : checked == null ? java.util.List.<String>of() : checked.problems()) {
                    diagnostics.add(Diagnostic.error(null, (fleet ? "provider " + provider.name() + ": " : "")
                            + problem, "plan, apply and every run that calls the gateway would stop on it before"
                            + " sending anything; validate reads the manifest and the environment only, and"
                            + " connects to nothing."));
                }
                if (main) {
                    preflight = checked;
                }
                if (checked != null) {
                    each.put(provider.name(), checked);
                }
            }
        }
        if (workspace.manifest() != null) {
            state = stateLocation(workspace, diagnostics);
        }
        if (!diagnostics.isEmpty()) {
            diagnosticsView().render(diagnostics);
        }
        boolean valid = workspace.ok() && !diagnostics.hasErrors();
        if (json) {
            summary(workspace, read, diagnostics, valid, preflight, state, each);
        } else if (valid) {
            long certificates = workspace.manifest().certificates().size();
            long bindings = workspace.desired().size();
            context.out().println(style().green(style().bold("Success!")) + " The manifest is valid: " + certificates
                    + (certificates == 1 ? " certificate, " : " certificates, ") + bindings
                    + (bindings == 1 ? " binding." : " bindings."));
            if (each.size() > 1) {
                for (java.util.Map.Entry<String, ProviderSession.Preflight> e : each.entrySet()) {
                    ProviderSession.Preflight p = e.getValue();
                    context.out().println("  Provider " + e.getKey() + ":");
                    context.out().println("    Endpoint:    " + p.endpoint());
                    context.out().println("    Project:     " + p.project().id() + " (" + p.project().source() + ")");
                    context.out().println("    Credentials: " + p.credentials());
                }
                context.out().println("  State:       " + state);
                return Main.OK;
            }
            context.out().println("  Endpoint:    " + preflight.endpoint());
            context.out().println("  Project:     " + preflight.project().id() + " (" + preflight.project().source()
                    + ")");
            context.out().println("  State:       " + state);
            context.out().println("  Credentials: " + preflight.credentials());
        }
        return valid ? Main.OK : Main.ERROR;
    }

    /**
     * Where the state would be kept, and which setting says so. Connects to nothing.
     */
    private String stateLocation(Workspace workspace, Diagnostics diagnostics) {
        io.certform.manifest.StateSettings settings = workspace.manifest().state();
        if (!(workspace.stateStore() instanceof PostgresStateStore store)) {
            String path = workspace.stateStore() == null ? String.valueOf(workspace.manifest().statePath())
                    : workspace.stateStore().describe();
            return "local file " + path + (common.state != null ? " (--state)"
                    : settings.range() != null ? " (state)" : " (the default, beside the manifest)");
        }
        Environment environment = context.environment();
        String source;
        if (settings.url() != null) {
            source = "state.url";
        } else if (set(environment.get(PostgresLocation.URL_VARIABLE))) {
            source = PostgresLocation.URL_VARIABLE;
        } else {
            // a PostgreSQL state that names no server at all is refused when the manifest is read (docs/state.md)
            source = "the PG* variables";
        }
        return "PostgreSQL " + store.describe() + " (" + source + ")";
    }

    private static boolean set(String value) {
        return value != null && !value.isBlank();
    }

    private void summary(Workspace workspace, Manifest read, Diagnostics diagnostics, boolean valid,
                         ProviderSession.Preflight preflight, String state,
                         java.util.Map<String, ProviderSession.Preflight> each) {
        JsonMapper mapper = JsonMapper.builder().build();
        ObjectNode node = mapper.createObjectNode();
        node.put("type", "validate");
        node.put("valid", valid);
        node.put("error_count", diagnostics.errorCount());
        node.put("warning_count", diagnostics.all().size() - diagnostics.errorCount());
        if (read != null) {
            node.put("certificates", read.certificates().size());
            // with an error, the bindings are not built: count the domains the manifest declares
            node.put("bindings", workspace.ok() ? workspace.desired().size() : read.certificates()
                    .stream().mapToLong(c -> c.bindings().stream().filter(b -> !b.isPattern()).count()).sum());
        }
        node.put("endpoint", preflight == null ? null : preflight.endpoint());
        node.put("project", preflight == null || preflight.project() == null ? null : preflight.project().id());
        node.put("project_source", preflight == null || preflight.project() == null ? null
                : preflight.project().source());
        node.put("state", state);
        node.put("credentials", preflight == null ? null : preflight.credentials());
        tools.jackson.databind.node.ArrayNode providers = node.putArray("providers");
        each.forEach((name, p) -> {
            ObjectNode one = providers.addObject();
            one.put("name", name);
            one.put("endpoint", p.endpoint());
            one.put("project", p.project() == null ? null : p.project().id());
            one.put("project_source", p.project() == null ? null : p.project().source());
            one.put("credentials", p.credentials());
        });
        context.out().println(mapper.writeValueAsString(node));
    }
}
