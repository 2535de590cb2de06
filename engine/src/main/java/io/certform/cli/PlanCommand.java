package io.certform.cli;

import io.certform.cli.view.PlanView;
import io.certform.provider.ProviderException;
import io.certform.rollout.RolloutPlan;
import io.certform.state.StateException;
import io.certform.workflow.Operations;
import io.certform.workflow.SavedPlan;
import io.certform.workflow.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what apply would change: the manifest against the state, refreshed from the remote side.",
                "Changes nothing, remote or local (except the plan file of -out)."})
final class PlanCommand extends ManifestCommand {

    @Mixin
    PlanningOptions planning;

    @Option(names = {"-out", "--out"}, paramLabel = "FILE",
            description = "Save the plan to FILE; 'certform apply FILE' then applies exactly it, without asking.")
    Path out;

    @Option(names = {"--json", "-json"}, description = "Print the plan as JSON (format_version 1) instead of text.")
    boolean json;

    @Option(names = {"--format", "-format"}, paramLabel = "FORMAT", description = PlanFormat.DESCRIPTION)
    PlanFormat format;

    @Option(names = {"--detailed-exitcode", "-detailed-exitcode"},
            description = "Exit 0 when there is nothing to change, 2 when there are changes or unknowns (calls of an"
                    + " interrupted run not settled yet), 1 on error.")
    boolean detailedExitCode;

    @Option(names = {"--compact", "-compact"},
            description = "One line per change (address and action), for plans of thousands of bindings.")
    boolean compact;

    @Option(names = {"--destroy", "-destroy"}, description = "Plan the removal of every recorded binding (what destroy would do).")
    boolean destroy;

    /**
     * Accepted as Terraform accepts it on plan, and ignored: plan writes no state, so it takes no lock and
     * {@code -lock=false} asks for nothing. Refusing it (as apply does, which does take the lock) would only break the
     * CI scripts that pass it to every command, for no safety.
     */
    @Option(names = {"--lock", "-lock"}, arity = "1", defaultValue = "true", paramLabel = "true|false",
            description = "Accepted and ignored, as in Terraform scripts: plan writes no state, so it takes no lock.")
    boolean lock;

    @Override
    public boolean jsonOutput() {
        return json || format == PlanFormat.JSON;
    }

    @Override
    public Integer call() throws StateException, ProviderException, IOException {
        PlanFormat shown = PlanFormat.of(format, json, compact);
        Workspace workspace = workspace();
        Operations.Planned planned;
        try (io.certform.workflow.Fleet fleet = fleet(workspace, 4, io.certform.api.GatewayClient.Timeouts.DEFAULT)) {
            planned = Operations.plan(workspace, fleet, planning.options(destroy)
                    .settling(Operations.DEFAULT_SETTLE_WINDOW, context.clock()));
        }
        if (shown == PlanFormat.TEXT && workspace.stateStore() instanceof io.certform.state.postgres.PostgresStateStore shared) {
            // a shared state is read from a server named by variables: say which, so a wrong one is seen at once
            context.out().println("State: " + shared.describe() + (planned.recorded().serial() == 0
                    ? ": no state there yet" : ", serial " + planned.recorded().serial()));
            context.out().println();
        }
        if (!planned.diagnostics().isEmpty()) {
            diagnosticsView().render(planned.diagnostics());
        }
        if (!planned.ok()) {
            return Main.ERROR;
        }
        PlanView view = Views.plan(context, style(), shown, compact, planning.refresh, Version.VALUE);
        RolloutPlan rollout = !destroy && workspace.manifest().rollout().declared()
                ? RolloutPlan.of(planned.plan(), workspace.manifest().rollout()) : null;
        view.selecting(planned.selections()).rollingOut(rollout).pending(planned.pending()).render(planned.plan(), planned.drift(), context.clock().instant());
        if (out != null) {
            SavedPlan.write(out, workspace, planned, destroy, Version.VALUE, rollout);
            if (shown == PlanFormat.TEXT) {
                context.out().println();
                context.out().println("Saved the plan to: " + out);
                context.out().println("To perform exactly these actions, run: certform apply " + out);
            }
        }
        return detailedExitCode && planned.changesOrUnknowns() ? Main.CHANGES : Main.OK;
    }
}
