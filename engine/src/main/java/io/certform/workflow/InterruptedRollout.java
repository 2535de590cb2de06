package io.certform.workflow;

import io.certform.plan.Action;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.RolloutProgress;
import io.certform.state.State;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a rollout that was interrupted left in the state, read back by the run that finishes it ({@link RolloutRun}). */
final class InterruptedRollout {

    private InterruptedRollout() {
    }

    /**
     * The bindings an interrupted rollout's waves bound and that still carry what it bound (a binding whose call
     * failed, or was never sent, still carries what it replaced and is left out), as changes a rollback undoes.
     */
    static List<ResourceChange> boundBy(RolloutProgress progress, State state,
                                        Map<String, io.certform.plan.DesiredBinding> desired) {
        List<ResourceChange> out = new ArrayList<>();
        for (RolloutProgress.Entry e : progress.bindings()) {
            ResourceState now = state.resource(e.address()).orElse(null);
            io.certform.plan.DesiredBinding want = desired.get(e.address());
            if (now == null || now.deposed() || want == null || want.certificateResource()) {
                continue;
            }
            if (e.replaced() != null && java.util.Objects.equals(e.replaced().sslId(), now.sslId())) {
                continue;
            }
            Action action;
            try {
                action = Action.fromWireName(e.action());
            } catch (RuntimeException unknown) {
                continue;
            }
            out.add(new ResourceChange(e.address(), action, Set.of(Reason.NOT_IN_STATE), e.replaced(), want));
        }
        return out;
    }

    /**
     * What an earlier run applied to this binding, as the state records it: its own certificate (per-domain), or
     * the shared certificate it is attached to. The check of an interrupted rollout looks for that, not for the
     * manifest's certificate (a rollback may have put the previous one back). Null when it is not known.
     */
    static io.certform.verify.ExpectedLeaf applied(ResourceState r, State state) {
        ResourceState content = r;
        if (r.shared()) {
            content = state.resources().stream().filter(c -> c.certificateResource() && r.sslId() != null
                    && r.sslId().equals(c.sslId())).findFirst().orElse(null);
        }
        if (content == null || content.certSha256() == null || content.serialNumber() == null) {
            return null;
        }
        return new io.certform.verify.ExpectedLeaf(content.certSha256(), content.serialNumber());
    }
}
