package io.certform.cli;

import io.certform.apply.ApplyResult;
import io.certform.cli.view.HumanApplyView;
import io.certform.cli.view.HumanPlanView;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.StateException;
import io.certform.workflow.Operations;
import io.certform.workflow.Workspace;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bind the manifest's certificates to their domains.",
                "Shows the plan and asks for 'yes' unless --auto-approve is given."})
class ApplyCommand extends ManifestCommand {

    @Option(names = "--auto-approve", description = "Apply without asking for confirmation.")
    boolean autoApprove;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "10",
            description = "How many API calls may run at once (default: ${DEFAULT-VALUE}).")
    int parallelism;

    /** Whether this run removes every binding (destroy) instead of applying the manifest. */
    boolean destroying() {
        return false;
    }

    @Override
    public Integer call() throws StateException, ProviderException, IOException {
        if (parallelism < 1 || parallelism > 256) {
            throw new CliException(Main.ERROR, "--parallelism must be between 1 and 256, not " + parallelism);
        }
        Workspace workspace = workspace();
        try (ProviderSession session = session(workspace, workspace.desired(), parallelism)) {
            Operations.Planned planned = Operations.plan(workspace, session, destroying());
            if (!planned.ok()) {
                diagnosticsView().render(planned.diagnostics());
                return Main.ERROR;
            }
            new HumanPlanView(context.out(), style()).render(planned.plan(), context.clock().instant());
            if (!planned.plan().hasChanges()) {
                return Main.OK;
            }
            if (!autoApprove && !confirm()) {
                context.out().println();
                context.out().println((destroying() ? "Destroy" : "Apply") + " cancelled.");
                return Main.ERROR;
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
