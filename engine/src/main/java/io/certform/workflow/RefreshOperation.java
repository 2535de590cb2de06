package io.certform.workflow;

import io.certform.diag.Diagnostics;
import io.certform.plan.Drift;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.State;
import io.certform.state.StateException;
import java.time.Clock;
import java.util.Map;

/**
 * What {@code certform refresh} does once the state is locked and recovered ({@link LockedSession}): read the remote
 * side of every recorded binding and record what was found; and what an apply with nothing to change records of
 * its own refresh.
 */
public final class RefreshOperation {

    private RefreshOperation() {
    }

    /** What {@code certform refresh} found and recorded. */
    public record Result(Map<String, Drift> drift, State state, boolean written, Diagnostics diagnostics) {
    }

    /** Reads the remote side and records it in state; changes nothing remote. */
    public static Result run(Workspace workspace, ProviderSession session, Clock clock, String version)
            throws StateException, ProviderException {
        return run(workspace, Fleet.of(session), clock, version);
    }

    /**
     * Reads the remote side of every provider (side by side, each through its own session, a failure named by its
     * provider) and records what was found; changes nothing remote.
     */
    public static Result run(Workspace workspace, Fleet fleet, Clock clock, String version)
            throws StateException, ProviderException {
        State recorded = workspace.stateStore().read();
        Diagnostics diagnostics = new Diagnostics();
        if (recorded.resources().isEmpty()) {
            return new Result(Map.of(), recorded, false, diagnostics);
        }
        Refresher.Refreshed refreshed;
        try {
            if (fleet.several()) {
                // the recorded objects only (destroy: no manifest binding is resolved), each provider's through
                // its own gateway
                FleetRead.Read read = FleetRead.read(workspace, fleet, new Operations.PlanOptions(true, true,
                        io.certform.plan.Targets.none(), Operations.DEFAULT_SETTLE_WINDOW, clock,
                        Operations.GROUP_READS), recorded, java.util.Set.of(), diagnostics);
                refreshed = new Refresher.Refreshed(read.prior(), read.drift());
            } else {
                refreshed = Refresher.refresh(recorded, new RemoteAccess(fleet.first()).directory(),
                        workspace.stateStore().describe(), diagnostics,
                        Operations.DEFAULT_SETTLE_WINDOW, clock.instant());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException("interrupted while reading the remote side; nothing was changed.", e);
        }
        State settled = refreshed.settled();
        if (diagnostics.hasErrors() || settled.resources().equals(recorded.resources())) {
            return new Result(refreshed.drift(), recorded, false, diagnostics);
        }
        workspace.stateStore().checkWritable();
        State next = recorded.next(settled.resources(), version);
        workspace.stateStore().write(next);
        return new Result(refreshed.drift(), next, true, diagnostics);
    }

    /** Records what a refresh found, when nothing else is to change: the state then matches the remote side. */
    public static State record(Workspace workspace, Operations.Planned planned, String version) throws StateException {
        State next = planned.recorded().next(planned.prior().resources(), version);
        workspace.stateStore().write(next);
        return next;
    }
}
