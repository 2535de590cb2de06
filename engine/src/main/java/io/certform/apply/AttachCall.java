package io.certform.apply;

import io.certform.api.GatewayClient;
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import java.util.List;
import java.util.Set;

/**
 * Attaches a shared certificate to a batch of domains in one call. Its effect, per domain: the certificate's
 * attached domains include it.
 */
record AttachCall(String certificateId, List<ResourceState> objects) implements BatchCall {

    AttachCall {
        objects = List.copyOf(objects);
    }

    @Override
    public Op op() {
        return Op.ATTACH;
    }

    @Override
    public BatchCall part(List<ResourceState> part) {
        return new AttachCall(certificateId, part);
    }

    @Override
    public boolean shows(ResourceState object, Set<String> attached) {
        return attached.contains(BatchCall.key(object));
    }

    @Override
    public Boolean send(GatewayClient client) {
        client.attachDomains(certificateId, BatchCall.targets(objects));
        return Boolean.TRUE;
    }

    @Override
    public String what() {
        return "the attachment of " + objects.size() + " domain(s) to certificate " + certificateId;
    }
}
