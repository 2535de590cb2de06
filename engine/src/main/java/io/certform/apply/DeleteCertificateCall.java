package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import java.time.Instant;
import java.util.List;

/**
 * Deletes a shared certificate resource; one already gone counts as deleted. Its effect: the certificate of that
 * id does not exist.
 *
 * @param recorded the certificate as recorded
 */
record DeleteCertificateCall(ResourceState recorded) implements Call<Boolean> {

    @Override
    public Op op() {
        return Op.DELETE_CERTIFICATE;
    }

    @Override
    public List<JournalRecord.Intent> intents(Instant sent) {
        return List.of(JournalRecord.Intent.shared(Op.DELETE_CERTIFICATE, recorded, recorded.sslId(), sent));
    }


    @Override
    public Boolean send(GatewayClient client) {
        try {
            client.deleteManagedCertificate(recorded.sslId());
        } catch (ApiException e) {
            if (!RemoteDirectory.isCertificateGone(e)) {
                throw e;
            }
        }
        return Boolean.TRUE;
    }

    @Override
    public Boolean look(RemoteDirectory remote, boolean fresh) throws InterruptedException, RemoteReadException {
        return remote.managedCertificate(recorded.sslId(), fresh) == null ? Boolean.TRUE : null;
    }

    @Override
    public List<JournalRecord.Done> recorded(Boolean deleted, Instant now) {
        return List.of(JournalRecord.Done.shared(Op.DELETE_CERTIFICATE, recorded, null));
    }

    @Override
    public String what() {
        return "the deletion of certificate " + recorded.sslId();
    }
}
