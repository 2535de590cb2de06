package io.certform.apply;

import io.certform.base.Exhaustion;
import io.certform.plan.Plan;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateException;
import java.util.List;

/**
 * What runs a plan against the gateways, as the apply, a rollout and the command's stop watch see it: one provider's
 * {@link Applier}, or a {@link FleetApplier} running one per provider side by side.
 */
public interface ApplyRunner {

    /** Applies every change of {@code plan}; {@code prior} is the state it was planned against. */
    ApplyResult apply(Plan plan, State prior) throws StateException;

    /** Stop starting new calls (Ctrl-C): calls in flight finish, and everything is recorded. */
    void requestStop();

    /** Something ran out: the run stops as {@link #requestStop()} stops it, and the result says what ran out. */
    void stopFor(Exhaustion what);

    /** A rollout's waves: the old half of a replaced shared certificate stays deposed until the rollout removes it. */
    void deferCertificateDeletes(boolean value);

    /** Records bindings seen serving their certificate ({@code verified_at} set), with no call. */
    void recordVerified(RunRecorder recorder, List<ResourceState> bindings);
}
