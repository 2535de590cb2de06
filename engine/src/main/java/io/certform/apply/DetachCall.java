package io.certform.apply;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.remote.RemoteDirectory;
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import java.util.List;
import java.util.Set;

/**
 * Detaches a shared certificate from a batch of domains in one call; a certificate already gone has none attached.
 * Its effect, per domain: the certificate's attached domains do not include it.
 */
record DetachCall(String certificateId, List<ResourceState> objects) implements BatchCall {

    DetachCall {
        objects = List.copyOf(objects);
    }

    @Override
    public Op op() {
        return Op.DETACH;
    }

    @Override
    public BatchCall part(List<ResourceState> part) {
        return new DetachCall(certificateId, part);
    }

    @Override
    public boolean shows(ResourceState object, Set<String> attached) {
        return !attached.contains(BatchCall.key(object));
    }

    @Override
    public Boolean send(GatewayClient client) {
        try {
            client.detachDomains(certificateId, BatchCall.targets(objects));
        } catch (ApiException e) {
            if (!RemoteDirectory.isCertificateGone(e)) {
                throw e;
            }
        }
        return Boolean.TRUE;
    }

    @Override
    public String what() {
        return "the detachment of " + objects.size() + " domain(s) from certificate " + certificateId;
    }

    /** A detach refused because a domain it names is gone (404 APIG.3020, all or nothing): tried without it. */
    @Override
    public boolean retriedWithout(ApiException refusal) {
        return "APIG.3020".equals(refusal.errorCode());
    }
}
