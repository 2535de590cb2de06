package io.certform.apply;

import io.certform.remote.DomainFacts;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The call an open intent of the journal stands for, to be looked at (never sent) by recovery. */
final class Calls {

    private Calls() {
    }

    /** @param recorded the object recorded at the intent's address before the call (null when none) */
    static Call<?> of(JournalRecord.Intent intent, ResourceState recorded) {
        ResourceState planned = intent.planned();
        return switch (intent.op()) {
            case BIND -> BindCall.of(intent);
            case UNBIND -> new UnbindCall(planned);
            case CREATE_CERTIFICATE -> new CreateCertificateCall(planned, intent.oldSslId(), null);
            case UPDATE_CERTIFICATE -> new UpdateCertificateCall(planned, null, recorded);
            case DELETE_CERTIFICATE -> new DeleteCertificateCall(planned);
            case ATTACH -> new AttachCall(planned.sslId(), List.of(planned));
            case DETACH -> new DetachCall(planned.sslId(), List.of(planned));
        };
    }

    /** Reads what a domain shows. */
    @FunctionalInterface
    interface FactsRead {
        DomainFacts read() throws InterruptedException, RemoteReadException;
    }

    /**
     * What a domain shows, for recovery: null when it could not be read this time (a failed read proves nothing).
     *
     * @throws RemoteReadException the group or instance does not exist, or the credentials were refused: looking
     *                             again within the window gets the same answer
     */
    private static DomainFacts seen(FactsRead read) throws InterruptedException, RemoteReadException {
        try {
            return read.read();
        } catch (RemoteReadException e) {
            if (e.kind() != RemoteReadException.Kind.FAILED) {
                throw e;
            }
            return null;
        }
    }

    /** Judges an open call of the per-domain model (a bind, an unbind) from what its domain shows now. */
    static IntentResolver.Resolution judgeOnDomain(IntentResolver.OpenCall open, FactsRead read, Instant now,
                                                   Duration settleWindow)
            throws InterruptedException, RemoteReadException {
        return IntentResolver.resolve(open, IntentResolver.Seen.onDomain(open, seen(read), now, settleWindow), now,
                settleWindow);
    }
}
