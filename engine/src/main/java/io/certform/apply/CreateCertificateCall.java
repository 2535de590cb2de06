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
 * Creates a shared certificate resource. Its effect: a certificate of the planned name whose serial, expiry, type
 * and client-CA setting all match (the identity rule), never one found by name alone, and never the one it replaces.
 *
 * @param planned the certificate as it will be recorded, less its id
 * @param oldId   the certificate it replaces, or null
 * @param form    what is sent; null when the call is only looked at (recovery)
 */
record CreateCertificateCall(ResourceState planned, String oldId, CertificateForm form)
        implements Call<CertificateDetail> {

    @Override
    public Op op() {
        return Op.CREATE_CERTIFICATE;
    }

    @Override
    public List<JournalRecord.Intent> intents(Instant sent) {
        return List.of(JournalRecord.Intent.shared(Op.CREATE_CERTIFICATE, planned, oldId, sent));
    }


    @Override
    public CertificateDetail send(GatewayClient client) {
        return client.createCertificate(form);
    }

    @Override
    public CertificateDetail look(RemoteDirectory remote, boolean fresh)
            throws InterruptedException, RemoteReadException {
        Identity.Expected expected = Identity.Expected.of(planned);
        for (CertificateDetail c : remote.managedCertificatesNamed(expected.name())) {
            if (!c.id().equals(oldId) && Identity.matches(expected, c, null)) {
                return c;
            }
        }
        return null;
    }

    @Override
    public List<JournalRecord.Done> recorded(CertificateDetail made, Instant now) {
        ResourceState recorded = planned.bound(made.id(), made.name(), null).boundAt(now);
        return List.of(JournalRecord.Done.shared(Op.CREATE_CERTIFICATE, recorded, recorded));
    }

    @Override
    public String what() {
        return "the creation of certificate " + planned.sslName();
    }
}
