package io.certform.apply;

import io.certform.api.AddCertificateRequest;
import io.certform.api.CertificateBinding;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.plan.DesiredBinding;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a domain's own certificate (the add call). Its effect: the domain carries the planned certificate, by the
 * identity rule, under another ssl_id than the one it replaces.
 *
 * @param planned     the binding as it will be recorded, less its ssl_id
 * @param oldSslId    the certificate on the domain before the call (not to be taken for the new one), or null
 * @param desired     what is sent; null when the call is only looked at (recovery)
 * @param renamedFrom the address the binding had before (its certificate key was renamed), removed with the
 *                    bind's result; null otherwise
 */
record BindCall(ResourceState planned, String oldSslId, DesiredBinding desired, String renamedFrom)
        implements Call<CertificateBinding> {

    /** An open bind intent, to be looked at. */
    static BindCall of(JournalRecord.Intent intent) {
        return new BindCall(intent.planned(), intent.oldSslId(), null, null);
    }

    @Override
    public JournalRecord.Op op() {
        return JournalRecord.Op.BIND;
    }

    @Override
    public List<JournalRecord.Intent> intents(Instant sent) {
        return List.of(JournalRecord.Intent.bind(planned, oldSslId, sent));
    }


    private DomainLocation at() {
        return new DomainLocation(planned.instanceId(), planned.groupId(), planned.domainId());
    }

    @Override
    public CertificateBinding send(GatewayClient client) {
        AddCertificateRequest request = new AddCertificateRequest(desired.sslName(), desired.material().certContent(),
                desired.material().privateKey(), desired.type(), desired.certificateInstanceId(),
                desired.material().trustedRootCa());
        return client.addCertificate(at(), request);
    }

    /** What the domain carries, judged by the identity rule against the planned certificate. */
    DomainFacts facts(RemoteDirectory remote, boolean fresh) throws InterruptedException, RemoteReadException {
        return remote.inspect(at(), Identity.Expected.of(planned), oldSslId, fresh);
    }

    @Override
    public CertificateBinding look(RemoteDirectory remote, boolean fresh)
            throws InterruptedException, RemoteReadException {
        if (facts(remote, fresh) instanceof DomainFacts.Carries carries) {
            return new CertificateBinding(planned.domainId(), carries.domain().name(), carries.sslId(),
                    carries.detail().name());
        }
        return null;
    }

    @Override
    public List<JournalRecord.Done> recorded(CertificateBinding bound, Instant now) {
        List<JournalRecord.Done> out = new ArrayList<>(2);
        out.add(JournalRecord.Done.bound(planned.bound(bound.sslId(), kept(planned.sslName(), bound.sslName()),
                kept(planned.urlDomain(), bound.urlDomain())).boundAt(now)));
        if (renamedFrom != null && !renamedFrom.equals(planned.address())) {
            out.add(JournalRecord.Done.unbound(renamedFrom)); // renamed: the old address goes
        }
        return out;
    }

    @Override
    public String what() {
        return "the add call for " + planned.address();
    }

    @Override
    public String nextRun() {
        return "The next run checks the domain before doing anything else.";
    }

    @Override
    public IntentResolver.Resolution judge(IntentResolver.OpenCall open, RemoteDirectory remote, boolean fresh,
                                           Instant now, Duration settleWindow)
            throws InterruptedException, RemoteReadException {
        return Calls.judgeOnDomain(open, () -> facts(remote, fresh), now, settleWindow);
    }

    /**
     * The text already held when the answer repeats it: the record of what was done keeps one copy per binding
     * (an apply of 100,000 keeps 100,000 of these records until the end).
     */
    private static String kept(String held, String answered) {
        return held != null && held.equals(answered) ? held : answered;
    }
}
