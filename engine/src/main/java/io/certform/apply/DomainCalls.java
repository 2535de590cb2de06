package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.CertificateBinding;
import io.certform.api.GatewayClient;
import io.certform.base.Sleeper;
import io.certform.plan.DesiredBinding;
import io.certform.plan.ResourceChange;
import io.certform.remote.RemoteDirectory;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The order of the calls that change one domain's own certificate: a bind the domain refuses because it carries a
 * certificate already (APIG.3400) removes the one certform bound and binds again. Each call is run by the
 * {@link CallProtocol} (journalled just before it leaves, settled by looking when its answer never came).
 */
final class DomainCalls {

    /** How the calls of one change went. */
    record Outcome(String sslId, String note) {
    }

    private final CallProtocol protocol;

    DomainCalls(CallProtocol protocol) {
        this.protocol = protocol;
    }

    DomainCalls(GatewayClient client, RemoteDirectory remote, Retrier retrier, Clock clock, Sleeper sleeper,
                Duration settleWindow, CallProtocol.Retries retries) {
        this(new CallProtocol(client, remote, retrier, clock, sleeper, settleWindow, retries));
    }

    /**
     * Binds the desired certificate. When the service refuses a second certificate on a domain (APIG.3400) and
     * certform bound the one there, that one is removed first (journalled like any removal) and the bind is sent
     * again: the domain is briefly without a certificate, and the note says so. Once the removal was sent, the bind
     * is sent even when the run is stopped meanwhile (Ctrl-C, SIGTERM): a stop starts nothing new, but never leaves
     * a domain bare halfway through its rotation.
     */
    Outcome bind(ResourceChange change, DesiredBinding desired, ResourceState replacing, RunRecorder recorder)
            throws InterruptedException, OutcomeUnknown {
        String oldSslId = replacing == null ? null : replacing.sslId();
        String renamedFrom = replacing == null ? null : replacing.address();
        ResourceState planned = desired.recorded();
        CallProtocol.Sent<CertificateBinding> sent;
        String note;
        try {
            sent = protocol.run(change, new BindCall(planned, oldSslId, desired, renamedFrom), recorder, false);
            note = note(sent);
        } catch (ApiException e) {
            if (!e.isConflict() || oldSslId == null) {
                throw e;
            }
            // refused: the domain already carries a certificate
            unbind(change, replacing, recorder);
            // the domain is bare now: its new certificate is sent even if the run was stopped meanwhile. Its look (and
            // recovery's, from its intent) still skips the removed certificate: reads may lag and show it, and by the
            // identity rule it can equal the new one (only the trusted root CA or the chain changed)
            sent = protocol.run(change, new BindCall(planned, oldSslId, desired, renamedFrom), recorder, true);
            note = "the domain refused a second certificate, so the old one (" + oldSslId + ") was removed first:"
                    + " the domain was briefly without a certificate";
        }
        return new Outcome(sent.result().sslId(), note);
    }

    /** Removes a recorded binding; a certificate already gone counts as removed (the result's note says so). */
    String unbind(ResourceChange change, ResourceState before, RunRecorder recorder)
            throws InterruptedException, OutcomeUnknown {
        return UnbindCall.note(protocol.run(change, new UnbindCall(before), recorder, false).result());
    }

    /**
     * Records a binding under its new address (its certificate key was renamed), as it is: nothing is sent. The new
     * address is recorded first; a crash before the old one is removed leaves two addresses on one certificate,
     * and the next plan forgets the old one without a call.
     */
    void move(ResourceState before, DesiredBinding after, RunRecorder recorder) {
        ResourceState moved = after.recorded().bound(before.sslId(), before.sslName(), before.urlDomain());
        if (before.boundAt() != null) {
            moved = moved.boundAt(Instant.parse(before.boundAt()));
        }
        protocol.record(recorder, JournalRecord.Done.bound(moved), JournalRecord.Done.unbound(before));
    }

    /**
     * Records a binding its domain already carries (found by the identity rule when the plan was made): the state
     * takes it over, nothing is sent.
     */
    void adopt(ResourceState found, RunRecorder recorder) {
        protocol.record(recorder, JournalRecord.Done.bound(found));
    }

    /** Records that a binding is forgotten without a call: its domain or certificate is already gone. */
    void forget(ResourceState before, RunRecorder recorder) {
        protocol.forgotten(recorder, before);
    }

    /** The note of a bind whose result was found by looking rather than answered. */
    private static String note(CallProtocol.Sent<CertificateBinding> sent) {
        if (sent.lost() != null) {
            return "the answer was lost (" + sent.lost().getMessage() + "); the certificate was found bound, so it"
                    + " was not sent again";
        }
        if (sent.answered() != null) {
            return "the service answered " + sent.answered().getMessage() + ", yet the certificate was found bound,"
                    + " so it was not sent again";
        }
        return null;
    }
}
