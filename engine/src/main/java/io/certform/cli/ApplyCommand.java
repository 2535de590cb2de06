package io.certform.cli;

import io.certform.cli.view.ApplyView;
import io.certform.provider.ProviderException;
import io.certform.state.StateException;
import io.certform.workflow.ApplyOperation;
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

    @Option(names = {"--auto-approve", "-auto-approve"}, description = "Apply without asking for confirmation.")
    boolean autoApprove;

    @Mixin
    ApplySettings calls;

    @Option(names = {"--json", "-json"}, description = "Print one JSON object per line per event (needs --auto-approve or PLANFILE).")
    boolean json;

    @Option(names = {"--compact", "-compact"},
            description = "Show the plan one line per change (address and action), for plans of thousands of bindings.")
    boolean compact;

    @Mixin
    PlanningOptions planning;

    @Mixin
    LockOptions locking;

    @Mixin
    RolloutOptions rollout;

    @Override
    public boolean jsonOutput() {
        return json;
    }

    /** Whether this run removes every binding (destroy) instead of applying the manifest. */
    boolean destroying() {
        return false;
    }

    String operation() {
        return "apply";
    }

    @Override
    public Integer call() throws StateException, ProviderException, IOException {
        calls.check();
        if (json && compact) {
            throw new CliException(Main.ERROR, "--compact shapes the text output only; it cannot be combined with"
                    + " --json. Drop one of them.");
        }
        if (json && !autoApprove && planFile == null) {
            throw new CliException(Main.ERROR, "--json needs --auto-approve or a saved plan: a JSON stream cannot ask"
                    + " for confirmation.");
        }
        Rollouts.refuseWhatTheRunCannotTake(rollout, destroying(), planFile != null);
        SavedPlan.File saved = null;
        if (planFile != null) {
            SavedPlanInputs.refuseOptionsThePlanFixes(this, destroying());
            saved = SavedPlanInputs.read(planFile);
            common.file = SavedPlanInputs.manifest(saved, planFile, given("--file"), common.file);
        }
        Workspace workspace = workspace();
        ApplyOperation.Request request = new ApplyOperation.Request(workspace, operation(), destroying(), saved,
                planning.options(destroying()), Rollouts.settings(rollout, workspace.manifest(),
                context.stdinTerminal()), calls.settings(), context.clock(), Version.VALUE);
        ApplyView view = Views.apply(context, style(), operation(), json, compact, planning.refresh || saved != null);
        CommandHost host = new CommandHost(context, locking,
                w -> session(w, w.desired(), calls.parallelism, calls.timeouts()),
                w -> fleet(w, calls.parallelism, calls.timeouts()), diagnosticsView(), view);
        ApplyOperation.Result result;
        try {
            result = ApplyOperation.run(request, host, view, new StdinApproval(context, style(), autoApprove));
        } catch (SavedPlan.StaleException e) {
            throw new CliException(Main.ERROR, e.getMessage());
        }
        return switch (result.outcome()) {
            case PLAN_FAILED -> Main.ERROR;
            case NOTHING_TO_DO -> Main.OK;
            case CANCELLED -> {
                context.out().println();
                context.out().println((destroying() ? "Destroy" : "Apply") + " cancelled.");
                yield Main.ERROR;
            }
            case INTERRUPTED -> Main.INTERRUPTED;
            case APPLIED -> ApplyEnding.render(result, view, workspace.stateStore().describe(), operation(), context,
                    style());
        };
    }
}
