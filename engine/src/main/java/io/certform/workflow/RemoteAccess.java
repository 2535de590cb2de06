package io.certform.workflow;

import io.certform.apply.Backoff;
import io.certform.apply.RetriedReads;
import io.certform.base.Sleeper;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import io.certform.remote.RemoteDirectory;

/**
 * The run's {@link RemoteDirectory}, made on first use: a run that reads nothing remote needs no credentials and
 * starts no embedded simulator.
 */
final class RemoteAccess {
    private final ProviderSession session;
    private RemoteDirectory directory;

    RemoteAccess(ProviderSession session) {
        this.session = session;
    }

    RemoteDirectory directory() throws ProviderException {
        if (directory == null) {
            directory = new RemoteDirectory(session.client(), credentialSource(session),
                    new RetriedReads(Backoff.DEFAULT, Sleeper.SYSTEM));
        }
        return directory;
    }

    static String credentialSource(ProviderSession session) {
        try {
            return session.describeCredentials();
        } catch (ProviderException e) {
            return e.getMessage();
        }
    }
}
