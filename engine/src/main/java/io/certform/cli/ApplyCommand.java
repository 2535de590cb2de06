package io.certform.cli;

import io.certform.apply.ApplyResult;
import io.certform.cli.view.HumanApplyView;
import io.certform.cli.view.HumanPlanView;
import io.certform.cli.view.JsonApplyView;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.LockFile;
import io.certform.state.StateException;
import io.certform.workflow.Operations;
import io.certform.workflow.SavedPlan;
import io.certform.workflow.Workspace;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bind the manifest's certificates to their domains.",
                "Shows the plan and asks for 'yes' unless --auto-approve is given; with PLANFILE (from plan -out),"
                        + " applies exactly that plan without asking, or refuses it if it is stale."})
class ApplyCommand extends ManifestCommand {

    @Parameters(arity = "0..1", paramLabel = "PLANFILE", description = "A plan saved by 'certform plan -out'.")
    Path planFile;

    @Option(names = "--auto-approve", description = "Apply without asking for confirmation.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "10",
            description = "How many API calls may run at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    @Option(names = "--json", description = "Print one JSON object per line per event (needs --auto-approve or PLANFILE).")
    boolean json;

    @Mixin
    PlanningOptions planning;

    @Mixin
    LockOptions locking;

    /** Whether this run removes every binding (destroy) instead of applying the manifest. */
    boolean destroying() {
        return false;
    }

    String operation() {
        return "apply";
    }

    @Override
    public Integer call() throws StateException, ProviderException, IOException {
        if (parallelism < 1 || parallelism > 256) {
            throw new CliException(Main.ERROR, "--parallelism must be between 1 and 256, not " + parallelism);
        }
        if (json && !autoApprove && planFile == null) {
            throw new CliException(Main.ERROR, "--json needs --auto-approve or a saved plan: a JSON stream cannot ask"
                    + " for confirmation.");
        }
        SavedPlan.File saved = null;
        if (planFile != null) {
            try {
                saved = SavedPlan.read(planFile);
            } catch (SavedPlan.StaleException e) {
                throw new CliException(Main.ERROR, e.getMessage());
            }
            common.file = Path.of(saved.manifest());
        }
        Workspace workspace = workspace();
        try (LockFile.Held lock = locking.acquire(workspace.manifest().statePath(), operation(), context.clock());
             ProviderSession session = session(workspace, workspace.desired(), parallelism)) {
            Operations.Planned planned;
            if (saved != null) {
                try {
                    planned = SavedPlan.verify(saved, workspace);
                } catch (SavedPlan.StaleException e) {
                    throw new CliException(Main.ERROR, e.getMessage());
                }
            } else {
                planned = Operations.plan(workspace, session, planning.options(destroying()));
                if (!planned.diagnostics().isEmpty()) {
                    diagnosticsView().render(planned.diagnostics());
                }
                if (!planned.ok()) {
                    return Main.ERROR;
                }
            }
            JsonApplyView jsonView = json ? new JsonApplyView(context.out()) : null;
            if (json) {
                jsonView.planned(planned.plan());
            } else {
                new HumanPlanView(context.out(), style()).render(planned.plan(), planned.drift(),
                        context.clock().instant());
            }
            if (!planned.plan().hasChanges()) {
                if (planned.refreshChangedState()) {
                    Operations.recordRefresh(workspace, planned, Version.VALUE);
                }
                return Main.OK;
            }
            if (saved == null && !autoApprove && !confirm()) {
                context.out().println();
                context.out().println((destroying() ? "Destroy" : "Apply") + " cancelled.");
                return Main.ERROR;
            }
            if (json) {
                ApplyResult result = Operations.apply(workspace, session, planned, parallelism, context.clock(),
                        jsonView, Version.VALUE);
                jsonView.summary(result);
                return result.ok() ? Main.OK : Main.ERROR;
            }
            context.out().println();
            HumanApplyView view = new HumanApplyView(context.out(), style());
            ApplyResult result = Operations.apply(workspace, session, planned, parallelism, context.clock(), view,
                    Version.VALUE);
            view.summary(result, workspace.stateStore().describe());
            return result.ok() ? Main.OK : Main.ERROR;
        }
    }

    private boolean confirm() throws IOException {
        context.out().println();
        context.out().println(style().bold(destroying() ? "Do you really want to destroy these bindings?"
                : "Do you want to perform these actions?"));
        context.out().println("  certform will perform the actions described above.");
        context.out().println("  Only 'yes' will be accepted to approve.");
        context.out().println();
        context.out().print("  Enter a value: ");
        context.out().flush();
        String answer = context.in().readLine();
        if (answer == null) {
            throw new CliException(Main.ERROR, "no answer on standard input; nothing was changed."
                    + " Pass --auto-approve to apply without asking (as in CI).");
        }
        return answer.trim().equals("yes");
    }
}
