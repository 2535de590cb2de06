package io.certform.workflow;

import io.certform.api.GatewayClient;
import io.certform.apply.Backoff;
import io.certform.apply.Recovery;
import io.certform.base.Sleeper;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.state.JournalRecord;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The first step of every command that writes state (apply, destroy, refresh, import): take the state lock, open
 * the session with the provider, and finish what an interrupted run left in the journal ("recover first"), before
 * anything else is read or planned. Closing it closes the session, then releases the lock.
 */
public final class LockedSession implements AutoCloseable {

    private final StateStore.Held lock;
    private final Fleet fleet;
    private final Recovery.Outcome recovered;

    private LockedSession(StateStore.Held lock, Fleet fleet, Recovery.Outcome recovered) {
        this.lock = lock;
        this.fleet = fleet;
        this.recovered = recovered;
    }

    /** Opens it with the default backoff and settle window (for commands without call settings). */
    public static LockedSession open(Workspace workspace, String operation, Host host, Clock clock, String version)
            throws StateException, ProviderException {
        return open(workspace, operation, host, Backoff.DEFAULT, Operations.DEFAULT_SETTLE_WINDOW, clock, version);
    }

    /** Lock, session, recovery; what was taken is given back when a later step fails. */
    public static LockedSession open(Workspace workspace, String operation, Host host, Backoff backoff,
                                     Duration settleWindow, Clock clock, String version)
            throws StateException, ProviderException {
        StateStore.Held lock = host.lock(workspace.stateStore(), operation);
        Fleet session = null;
        try {
            session = host.fleet(workspace);
            Recovery.Outcome recovered = recover(workspace, session, backoff, clock, settleWindow, version,
                    host::note);
            return new LockedSession(lock, session, recovered);
        } catch (RuntimeException | StateException | ProviderException e) {
            try {
                if (session != null) {
                    session.close();
                }
            } catch (RuntimeException | ProviderException suppressed) {
                e.addSuppressed(suppressed);
            } finally {
                try {
                    lock.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /**
     * Finishes what an interrupted run left in the journal, before anything else is planned: results are replayed,
     * and unfinished calls are resolved against the remote side (never sent again blindly).
     */
    private static Recovery.Outcome recover(Workspace workspace, Fleet fleet, Backoff backoff,
                                            Clock clock, Duration settleWindow, String version,
                                            Consumer<String> notes)
            throws StateException, ProviderException {
        List<JournalRecord> records = workspace.stateStore().journal();
        if (records.isEmpty()) {
            return Recovery.Outcome.none();
        }
        workspace.stateStore().checkWritable();
        List<JournalRecord.Intent> open = JournalRecord.openIntents(records);
        // each open intent is resolved against its own provider's gateway (a fleet's run journals every provider's)
        java.util.Map<String, GatewayClient> clients = new java.util.HashMap<>();
        for (JournalRecord.Intent intent : open) {
            String provider = io.certform.state.ResourceState.providerOf(intent.key());
            if (!clients.containsKey(provider)) {
                ProviderSession session = fleet.sessions().size() == 1 && !fleet.sessions().containsKey(provider)
                        ? fleet.first() : fleet.session(provider);
                clients.put(provider, session.client());
            }
        }
        try {
            return Recovery.recover(workspace.stateStore(), records, clients::get, backoff, Sleeper.SYSTEM, clock,
                    settleWindow, version, notes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StateException("interrupted while recovering the journal; run certform again to finish.", e);
        }
    }

    /** The default provider's session (else the first declared): what a command of one gateway uses. */
    public ProviderSession session() {
        return fleet.first();
    }

    /** Every provider's session. */
    public Fleet fleet() {
        return fleet;
    }

    /** What the recovery of an interrupted run did (nothing, most of the time). */
    public Recovery.Outcome recovered() {
        return recovered;
    }

    /** The recovery in words, for a note or a message: counts of what was replayed, adopted, voided, unbound. */
    public static String describe(Recovery.Outcome r) {
        return r.replayed() + " result(s) replayed, " + r.adopted() + " call(s) found to have landed and adopted, "
                + r.voided() + " found not to have happened, " + r.unbound() + " removal(s) confirmed";
    }

    @Override
    public void close() throws ProviderException {
        try {
            fleet.close();
        } finally {
            lock.close();
        }
    }
}
