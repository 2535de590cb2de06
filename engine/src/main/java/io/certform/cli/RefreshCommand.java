package io.certform.cli;

import io.certform.apply.Recovery;
import io.certform.plan.Drift;
import io.certform.provider.ProviderException;
import io.certform.state.StateException;
import io.certform.workflow.LockedSession;
import io.certform.workflow.RefreshOperation;
import io.certform.workflow.Workspace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "refresh", mixinStandardHelpOptions = true,
        description = {"Read the remote side of every recorded binding and record what was found (drift) in the"
                + " state.", "Changes nothing remote. One GET per API group, plus one per changed binding."})
final class RefreshCommand extends ManifestCommand {

    @Mixin
    LockOptions locking;

    @Override
    public Integer call() throws StateException, ProviderException {
        Workspace workspace = workspace();
        try (LockedSession run = LockedSession.open(workspace, "refresh", host(locking, 4), context.clock(),
                Version.VALUE)) {
            Recovery.Outcome recovered = run.recovered();
            RefreshOperation.Result result = RefreshOperation.run(workspace, run.fleet(), context.clock(),
                    Version.VALUE);
            if (!result.diagnostics().isEmpty()) {
                diagnosticsView().render(result.diagnostics());
            }
            // a call of an interrupted run still unsettled: what it did is not known, so the remote side was not read
            for (String open : recovered.open()) {
                context.err().println("error: cannot settle the unfinished call for " + open + ". It stays in the"
                        + " journal; the next apply settles it first.");
            }
            if (result.diagnostics().hasErrors() || !recovered.open().isEmpty()) {
                return Main.ERROR;
            }
            if (result.drift().isEmpty()) {
                context.out().println("No changes outside certform: the remote side matches the state ("
                        + result.state().resources().size() + " bindings).");
                return Main.OK;
            }
            for (Drift d : result.drift().values()) {
                context.out().println(style().bold(d.address()) + ": " + switch (d.kind()) {
                    case CHANGED -> "now carries ssl_id " + d.found().sslId() + " (serial " + d.found().serialNumber()
                            + "), not " + d.recorded().sslId();
                    case REMOVED -> d.removal() + "; removed from the state";
                    case DOMAIN_GONE -> "its domain is no longer in group " + d.recorded().groupId()
                            + "; removed from the state";
                });
            }
            context.out().println();
            context.out().println("Recorded " + result.drift().size() + (result.drift().size() == 1 ? " change" : " changes")
                    + " in " + workspace.stateStore().describe() + " (serial " + result.state().serial()
                    + "). 'certform plan' shows what apply would do about them.");
            return Main.OK;
        }
    }
}
