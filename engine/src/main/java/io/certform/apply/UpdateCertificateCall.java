package io.certform.apply;

import io.certform.api.CertificateDetail;
import io.certform.api.CertificateForm;
import io.certform.api.GatewayClient;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import java.time.Instant;
import java.util.List;

/**
 * Updates a shared certificate in place (one PUT): its id and every attachment stay. Its effect: the certificate
 * of that id matches the planned one by the identity rule.
 *
 * <p>That look can see an update only when the identity rule tells the new certificate from the one it replaces
 * (name, serial, expiry, type, client-CA setting). An update of the trusted root CA or the chain alone looks the
 * same before and after, so its effect is never looked for: it is sent again instead (a PUT of the whole
 * certificate is idempotent), and recovery closes its open intent as not carried out, so that the next plan sends
 * it again rather than record a change nobody saw land.
 *
 * @param planned  the certificate as it will be recorded, with its id
 * @param form     what is sent; null when the call is only looked at (recovery)
 * @param replaced the certificate as recorded before the update; null when unknown (its look is then not trusted)
 */
record UpdateCertificateCall(ResourceState planned, CertificateForm form, ResourceState replaced)
        implements Call<CertificateDetail> {

    /** Whether looking at the certificate can tell this update's effect from what it replaces. */
    boolean visible() {
        return replaced != null && !Identity.Expected.of(replaced).equals(Identity.Expected.of(planned));
    }

    /** An update the look cannot see is sent again on a lost answer, never looked for. */
    @Override
    public boolean idempotent() {
        return !visible();
    }

    @Override
    public IntentResolver.Resolution judge(IntentResolver.OpenCall open, RemoteDirectory remote, boolean fresh,
                                           Instant now, java.time.Duration settleWindow)
            throws InterruptedException, RemoteReadException {
        if (!visible()) {
            // not looked for: the certificate reads the same whether or not it landed; the next plan sends it again
            return new IntentResolver.Resolution(open, IntentResolver.Verdict.VOIDED, null, "the update of "
                    + planned.sslId() + " changes nothing a look can see (the trusted root CA or the chain): the next"
                    + " plan sends it again");
        }
        return Call.super.judge(open, remote, fresh, now, settleWindow);
    }

    @Override
    public Op op() {
        return Op.UPDATE_CERTIFICATE;
    }

    @Override
    public List<JournalRecord.Intent> intents(Instant sent) {
        return List.of(JournalRecord.Intent.shared(Op.UPDATE_CERTIFICATE, planned, planned.sslId(), sent));
    }


    @Override
    public CertificateDetail send(GatewayClient client) {
        return client.updateCertificate(planned.sslId(), form);
    }

    @Override
    public CertificateDetail look(RemoteDirectory remote, boolean fresh)
            throws InterruptedException, RemoteReadException {
        CertificateDetail now = remote.managedCertificate(planned.sslId(), fresh);
        return now != null && Identity.matches(Identity.Expected.of(planned), now, null) ? now : null;
    }

    @Override
    public List<JournalRecord.Done> recorded(CertificateDetail updated, Instant now) {
        ResourceState recorded = planned.bound(planned.sslId(), updated.name(), null).boundAt(now);
        return List.of(JournalRecord.Done.shared(Op.UPDATE_CERTIFICATE, recorded, recorded));
    }

    @Override
    public String what() {
        return "the update of certificate " + planned.sslId();
    }
}
