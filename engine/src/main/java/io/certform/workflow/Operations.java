package io.certform.workflow;

import io.certform.apply.Applier;
import io.certform.apply.ApplyListener;
import io.certform.apply.ApplyResult;
import io.certform.diag.Diagnostics;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.State;
import io.certform.state.StateException;
import java.time.Clock;
import java.util.List;

/** Plan and apply over a loaded {@link Workspace}. */
public final class Operations {

    private Operations() {
    }

    /**
     * A plan and the state it was made against.
     *
     * @param plan null when {@code diagnostics} has errors
     */
    public record Planned(Plan plan, State prior, Diagnostics diagnostics) {
        public boolean ok() {
            return plan != null && !diagnostics.hasErrors();
        }
    }

    /**
     * Plans the workspace's bindings against its state; with {@code destroy}, plans the removal of every
     * recorded binding instead.
     */
    public static Planned plan(Workspace workspace, ProviderSession session, boolean destroy)
            throws StateException, ProviderException {
        State prior = workspace.stateStore().read();
        Diagnostics diagnostics = new Diagnostics();
        List<DesiredBinding> desired = destroy ? List.of()
                : DomainResolver.resolve(workspace.desired(), prior, session, diagnostics);
        if (diagnostics.hasErrors()) {
            return new Planned(null, prior, diagnostics);
        }
        return new Planned(Planner.plan(desired, prior), prior, diagnostics);
    }

    /** Applies a plan; the state folder is checked first, so a run that cannot record sends nothing. */
    public static ApplyResult apply(Workspace workspace, ProviderSession session, Planned planned, int parallelism,
                                    Clock clock, ApplyListener listener, String version)
            throws StateException, ProviderException {
        workspace.stateStore().checkWritable();
        Applier applier = new Applier(session.client(), workspace.stateStore(), parallelism, clock, listener, version);
        return applier.apply(planned.plan(), planned.prior());
    }
}
