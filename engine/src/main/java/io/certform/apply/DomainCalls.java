package io.certform.apply;

import io.certform.api.AddCertificateRequest;
import io.certform.api.ApiException;
import io.certform.api.CertificateBinding;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.base.CrashPoint;
import io.certform.base.Sleeper;
import io.certform.plan.DesiredBinding;
import io.certform.plan.ResourceChange;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.RunRecorder;
import io.certform.state.ResourceState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The calls that change one domain, each journalled just before it is sent (after its waits: {@link SendGate}). A write whose answer never came is an
 * unknown outcome, not a failure: it is never sent again blindly and never voided; the domain is read (through
 * the {@link RemoteDirectory} and its one identity rule) until the effect shows or the settle window passes, and
 * an effect that never showed leaves the intent open for the next run.
 */
final class DomainCalls {

    /** How the calls of one change went. */
    record Outcome(String sslId, String note) {
    }

    /** The call's outcome is unknown: its intent stays open in the journal. */
    static final class OutcomeUnknown extends Exception {
        final ApiException failure;

        OutcomeUnknown(ApiException failure, String message) {
            super(message, null, false, false);
            this.failure = failure;
        }
    }

    /** Hears retries, for the listener and the statistics. */
    @FunctionalInterface
    interface Retries {
        void retried(ResourceChange change, int attempt, ApiException error, Duration delay);
    }

    private final GatewayClient client;
    private final RemoteDirectory remote;
    private final Retrier retrier;
    private final Clock clock;
    private final Duration settleWindow;
    private final Retries retries;
    private final Settling settling;

    DomainCalls(GatewayClient client, RemoteDirectory remote, Retrier retrier, Clock clock, Sleeper sleeper,
                Duration settleWindow, Retries retries) {
        this.client = client;
        this.remote = remote;
        this.retrier = retrier;
        this.clock = clock;
        this.settleWindow = settleWindow;
        this.retries = retries;
        this.settling = new Settling(retrier, clock, sleeper, settleWindow, retries);
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
        DomainLocation at = new DomainLocation(desired.instanceId(), desired.groupId(), desired.domainId());
        String oldSslId = replacing == null ? null : replacing.sslId();
        ResourceState planned = desired.recorded();
        SendGate gate = SendGate.of(recorder, clock, sent -> JournalRecord.Intent.bind(planned, oldSslId, sent));
        Posted posted;
        try {
            posted = post(change, desired, at, oldSslId, gate);
        } catch (NotSent stopped) {
            voidIfJournalled(gate, desired.address(), recorder); // an earlier attempt was answered: not carried out
            throw stopped;
        } catch (ApiException e) {
            if (!e.isConflict() || oldSslId == null) {
                recorder.voided(desired.address()); // refused, or checked not to have landed
                throw e;
            }
            recorder.voided(desired.address()); // refused: the domain already carries a certificate
            unbind(change, replacing, recorder);
            // the domain is bare now: its new certificate is sent even if the run was stopped meanwhile
            SendGate again = SendGate.finishing(recorder, clock, sent -> JournalRecord.Intent.bind(planned, null,
                    sent));
            try {
                posted = post(change, desired, at, null, again);
            } catch (NotSent stopped) {
                voidIfJournalled(again, desired.address(), recorder);
                throw stopped;
            } catch (ApiException refused) {
                recorder.voided(desired.address());
                throw refused;
            }
            posted = new Posted(posted.binding(), "the domain refused a second certificate, so the old one ("
                    + oldSslId + ") was removed first: the domain was briefly without a certificate");
        }
        CertificateBinding bound = posted.binding();
        CrashPoint.reach("after-send");
        recorder.done(JournalRecord.Done.bound(planned.bound(bound.sslId(), kept(planned.sslName(), bound.sslName()),
                kept(planned.urlDomain(), bound.urlDomain())).boundAt(clock.instant())));
        if (replacing != null && !replacing.address().equals(desired.address())) {
            recorder.done(JournalRecord.Done.unbound(replacing.address())); // renamed: the old address goes
        }
        return new Outcome(bound.sslId(), posted.note());
    }

    /** Removes a recorded binding; a certificate already gone counts as removed. */
    String unbind(ResourceChange change, ResourceState before, RunRecorder recorder)
            throws InterruptedException, OutcomeUnknown {
        SendGate gate = SendGate.of(recorder, clock, sent -> JournalRecord.Intent.unbind(before, sent));
        DomainLocation at = new DomainLocation(before.instanceId(), before.groupId(), before.domainId());
        String note;
        try {
            // DELETE names one certificate id, so sending it again cannot remove anything else
            note = retrier.idempotent(gate, () -> deleteIgnoringGone(at, before.sslId()),
                    (attempt, error, delay) -> retries.retried(change, attempt, error, delay));
        } catch (ApiException e) {
            if (e.isOutcomeUnknown() || e.isRetryable()) {
                throw new OutcomeUnknown(e, "the removal of " + before.sslId() + " from " + describe(before)
                        + " got no usable answer (" + e.getMessage() + "); it may still take effect."
                        + " The next run checks the domain before doing anything else.");
            }
            recorder.voided(before.address());
            throw e;
        }
        CrashPoint.reach("after-send");
        recorder.done(JournalRecord.Done.unbound(before.address()));
        return note;
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
        recorder.done(JournalRecord.Done.bound(moved));
        recorder.done(JournalRecord.Done.unbound(before.address()));
    }

    /**
     * Records a binding its domain already carries (found by the identity rule when the plan was made): the state
     * takes it over, nothing is sent.
     */
    void adopt(ResourceState found, RunRecorder recorder) {
        recorder.done(JournalRecord.Done.bound(found));
    }

    /** Records that a binding is forgotten without a call: its domain or certificate is already gone. */
    void forget(ResourceState before, RunRecorder recorder) {
        recorder.intend(JournalRecord.Intent.unbind(before, clock.instant()));
        recorder.done(JournalRecord.Done.unbound(before.address()));
    }

    /** A write stopped before an attempt left: an earlier attempt's intent, answered with an error, is closed. */
    private static void voidIfJournalled(SendGate gate, String address, RunRecorder recorder) {
        if (gate.journalled()) {
            recorder.voided(address);
        }
    }

    /** What the add call bound, and how (a note when its answer was lost and the effect was found). */
    private record Posted(CertificateBinding binding, String note) {
    }

    /**
     * Sends the add call, with retries for answers that say it was not carried out (429, 5xx with an error body).
     * An answer that never came is settled by looking, never by sending again.
     */
    private Posted post(ResourceChange change, DesiredBinding desired, DomainLocation at, String oldSslId,
                        SendGate gate) throws InterruptedException, OutcomeUnknown {
        AddCertificateRequest request = new AddCertificateRequest(desired.sslName(), desired.material().certContent(),
                desired.material().privateKey(), desired.type(), desired.certificateInstanceId(),
                desired.material().trustedRootCa());
        Identity.Expected expected = Identity.Expected.of(desired.recorded());
        for (int attempt = 1; ; attempt++) {
            ApiException failure;
            try {
                return new Posted(retrier.once(gate, () -> client.addCertificate(at, request)), null);
            } catch (ApiException e) {
                failure = e;
            }
            if (failure.isOutcomeUnknown()) {
                CertificateBinding found = settle(change, at, expected, oldSslId, gate.sent());
                if (found == null) {
                    throw new OutcomeUnknown(failure, "no answer to the add call for " + desired.address() + " ("
                            + failure.getMessage() + "), and its effect did not show within the settle window ("
                            + settleWindow.toSeconds() + "s). It was not sent again. The next run checks the domain"
                            + " before doing anything else.");
                }
                return new Posted(found, "the answer was lost (" + failure.getMessage() + "); the certificate was"
                        + " found bound, so it was not sent again");
            }
            if (!failure.isRetryable()) {
                throw failure;
            }
            if (!failure.isThrottled()) {
                // a server-side failure answered with an error: not carried out, but look once before sending again
                CertificateBinding found = look(at, expected, oldSslId);
                if (found != null) {
                    return new Posted(found, "the service answered " + failure.getMessage() + ", yet the certificate"
                            + " was found bound, so it was not sent again");
                }
            }
            if (attempt >= retrier.backoff().maxAttempts()) {
                throw failure;
            }
            retrier.pauseWrite(gate, attempt, failure, (a, error, delay) -> retries.retried(change, a, error, delay));
        }
    }

    /**
     * Looks at the domain, with growing pauses, until it carries the expected certificate under a new ssl_id, or
     * the settle window (counted from when the call was sent) has passed ({@link Settling}: the one settle loop).
     */
    private CertificateBinding settle(ResourceChange change, DomainLocation at, Identity.Expected expected,
                                      String oldSslId, Instant sent) throws InterruptedException, OutcomeUnknown {
        return settling.settle(change, () -> look(at, expected, oldSslId), sent, "a call for " + change.address());
    }

    /** The expected certificate, if the domain (read afresh) now carries it under another ssl_id than before. */
    private CertificateBinding look(DomainLocation at, Identity.Expected expected, String oldSslId)
            throws InterruptedException {
        DomainFacts facts;
        try {
            facts = remote.inspect(at, expected, oldSslId, true);
        } catch (RemoteReadException e) {
            throw e.apiError();
        }
        if (facts instanceof DomainFacts.Carries carries) {
            return new CertificateBinding(at.domainId(), carries.domain().name(), carries.sslId(),
                    carries.detail().name());
        }
        return null;
    }

    private String deleteIgnoringGone(DomainLocation at, String sslId) {
        try {
            client.deleteCertificate(at, sslId);
            return null;
        } catch (ApiException e) {
            if (RemoteDirectory.isCertificateGone(e) || "APIG.3020".equals(e.errorCode())) {
                return "it was already gone (" + e.errorCode() + ")";
            }
            throw e;
        }
    }

    /**
     * The text already held when the answer repeats it: the record of what was done keeps one copy per binding
     * (an apply of 100,000 keeps 100,000 of these records until the end).
     */
    private static String kept(String held, String answered) {
        return held != null && held.equals(answered) ? held : answered;
    }

    private static String describe(ResourceState r) {
        return r.urlDomain() != null ? r.urlDomain() : r.domainId();
    }
}
