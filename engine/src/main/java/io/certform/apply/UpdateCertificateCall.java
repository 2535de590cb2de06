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
 * @param planned the certificate as it will be recorded, with its id
 * @param form    what is sent; null when the call is only looked at (recovery)
 */
record UpdateCertificateCall(ResourceState planned, CertificateForm form) implements Call<CertificateDetail> {

    @Override
    public Op op() {
        return Op.UPDATE_CERTIFICATE;
    }

    @Override
    public List<JournalRecord.Intent> intents(Instant sent) {
        return List.of(JournalRecord.Intent.shared(Op.UPDATE_CERTIFICATE, planned, planned.sslId(), sent));
    }

    @Override
    public List<String> addresses() {
        return List.of(planned.address());
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
        return List.of(JournalRecord.Done.shared(Op.UPDATE_CERTIFICATE, recorded.address(), recorded));
    }

    @Override
    public String what() {
        return "the update of certificate " + planned.sslId();
    }
}
