package io.certform.cli;

import io.certform.cli.view.HumanPlanView;
import io.certform.cli.view.JsonPlanView;
import io.certform.cli.view.PlanView;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.StateException;
import io.certform.workflow.Operations;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Show what apply would change: the manifest against the state.",
                "Changes nothing, remote or local."})
final class PlanCommand extends ManifestCommand {

    @Option(names = "--json", description = "Print the plan as JSON (format_version 1) instead of text.")
    boolean json;

    @Option(names = "--detailed-exitcode",
            description = "Exit 0 when there is nothing to change, 2 when there are changes, 1 on error.")
    boolean detailedExitCode;

    @Override
    public Integer call() throws StateException, ProviderException {
        Workspace workspace = workspace();
        Operations.Planned planned;
        try (ProviderSession session = session(workspace, workspace.desired(), 4)) {
            planned = Operations.plan(workspace, session, false);
        }
        if (!planned.ok()) {
            diagnosticsView().render(planned.diagnostics());
            return Main.ERROR;
        }
        PlanView view = json ? new JsonPlanView(context.out(), Version.VALUE)
                : new HumanPlanView(context.out(), style());
        view.render(planned.plan(), context.clock().instant());
        return detailedExitCode && planned.plan().hasChanges() ? Main.CHANGES : Main.OK;
    }
}
