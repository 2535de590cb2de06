package io.certform.cli;

import io.certform.cli.view.HumanPlanView;
import io.certform.cli.view.JsonPlanView;
import io.certform.cli.view.PlanView;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
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

    @Option(names = {"--detailed-exitcode", "-detailed-exitcode"},
            description = "Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.")
    boolean detailedExitCode;

    @Option(names = {"--destroy", "-destroy"}, description = "Plan the removal of every recorded binding (what destroy would do).")
    boolean destroy;

    @Override
    public boolean jsonOutput() {
        return json;
    }

    @Override
    public Integer call() throws StateException, ProviderException, IOException {
        Workspace workspace = workspace();
        Operations.Planned planned;
        try (ProviderSession session = session(workspace, workspace.desired(), 4)) {
            planned = Operations.plan(workspace, session, planning.options(destroy)
                    .settling(Operations.DEFAULT_SETTLE_WINDOW, context.clock()));
        }
        if (!planned.diagnostics().isEmpty()) {
            diagnosticsView().render(planned.diagnostics());
        }
        if (!planned.ok()) {
            return Main.ERROR;
        }
        PlanView view = json ? new JsonPlanView(context.out(), Version.VALUE)
                : planning.refresh ? new HumanPlanView(context.out(), style())
                : new HumanPlanView(context.out(), style()).withoutRefresh();
        view.selecting(planned.selections()).render(planned.plan(), planned.drift(), context.clock().instant());
        if (out != null) {
            SavedPlan.write(out, workspace, planned, destroy, Version.VALUE);
            if (!json) {
                context.out().println();
                context.out().println("Saved the plan to: " + out);
                context.out().println("To perform exactly these actions, run: certform apply " + out);
            }
        }
        return detailedExitCode && planned.plan().hasChanges() ? Main.CHANGES : Main.OK;
    }
}
