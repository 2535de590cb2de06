package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Removes a domain's own certificate (DELETE of one ssl_id: idempotent). A certificate already gone, or a domain
 * gone, counts as removed; its result is a note saying so, or null. Its effect: the certificate is no longer on the
 * domain.
 *
 * @param recorded the binding being removed
 */
record UnbindCall(ResourceState recorded) implements Call<String> {

    /** What an answer that says "already gone" leaves as the call's result. */
    private static final String REMOVED = "";

    @Override
    public JournalRecord.Op op() {
        return JournalRecord.Op.UNBIND;
    }

    @Override
    public List<JournalRecord.Intent> intents(Instant sent) {
        return List.of(JournalRecord.Intent.unbind(recorded, sent));
    }


    private DomainLocation at() {
        return new DomainLocation(recorded.instanceId(), recorded.groupId(), recorded.domainId());
    }

    @Override
    public String send(GatewayClient client) {
        try {
            client.deleteCertificate(at(), recorded.sslId());
            return REMOVED;
        } catch (ApiException e) {
            if (RemoteDirectory.isCertificateGone(e) || "APIG.3020".equals(e.errorCode())) {
                return "it was already gone (" + e.errorCode() + ")";
            }
            throw e;
        }
    }

    /** What the domain carries now. */
    DomainFacts facts(RemoteDirectory remote, boolean fresh) throws InterruptedException, RemoteReadException {
        return remote.inspect(at(), Identity.Expected.of(recorded), null, fresh);
    }

    @Override
    public String look(RemoteDirectory remote, boolean fresh) throws InterruptedException, RemoteReadException {
        return IntentResolver.carries(facts(remote, fresh), recorded.sslId()) ? null : REMOVED;
    }

    @Override
    public List<JournalRecord.Done> recorded(String note, Instant now) {
        return List.of(JournalRecord.Done.unbound(recorded));
    }

    @Override
    public String what() {
        return "the removal of " + recorded.sslId() + " from " + (recorded.urlDomain() != null ? recorded.urlDomain()
                : recorded.domainId());
    }

    @Override
    public boolean idempotent() {
        return true;
    }

    @Override
    public String nextRun() {
        return "The next run checks the domain before doing anything else.";
    }

    /** The note of a result: null when the certificate was removed by this call. */
    static String note(String result) {
        return result == null || result.isEmpty() ? null : result;
    }

    @Override
    public IntentResolver.Resolution judge(IntentResolver.OpenCall open, RemoteDirectory remote, boolean fresh,
                                           Instant now, Duration settleWindow)
            throws InterruptedException, RemoteReadException {
        return Calls.judgeOnDomain(open, () -> facts(remote, fresh), now, settleWindow);
    }
}
