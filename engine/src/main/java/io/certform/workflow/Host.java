package io.certform.workflow;

import io.certform.provider.ProviderSession;
import io.certform.state.StateStore;

/**
 * What the program running an operation gives it: the state lock, the session with the provider, and a place for
 * notes to the person waiting. The command line implements it (its lock options, its call settings, standard
 * error); an operation only asks.
 */
public interface Host {

    /** Takes the state lock for {@code operation}, waiting as the user allowed, or fails saying why. */
    StateStore.Held lock(StateStore store, String operation);

    /** Opens the session with the provider the workspace's manifest names. */
    ProviderSession session(Workspace workspace);

    /**
     * Opens the run's sessions, one per provider of the manifest (each opening its client on first use). A host that
     * knows one gateway only gives that one.
     */
    default Fleet fleet(Workspace workspace) {
        return Fleet.of(session(workspace));
    }

    /** Tells the person waiting something worth knowing (a wait for the lock, a step of a recovery). */
    void note(String text);
}
