package io.certform.workflow;

import io.certform.api.GroupDetail;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import java.util.HashMap;
import java.util.Map;

/**
 * The API groups read during one run, each read once: name resolution and refresh share it, so a run over
 * bindings in G groups makes G group GETs.
 */
final class GroupDirectory {
    private final ProviderSession session;
    private final Map<String, GroupDetail> groups = new HashMap<>();

    /** The session's client is made on the first read, so a run that reads no group needs no credentials. */
    GroupDirectory(ProviderSession session) {
        this.session = session;
    }

    /** What to tell a user whose call was refused: the endpoint and where the credentials came from. */
    String checkHint() {
        String source;
        try {
            source = session.describeCredentials();
        } catch (ProviderException e) {
            source = e.getMessage();
        }
        return "Check the credentials (" + source + ") and the endpoint (" + session.describe() + ").";
    }

    /** The group's detail; throws {@link io.certform.api.ApiException} as the API answers. */
    GroupDetail group(String instanceId, String groupId) throws ProviderException {
        String key = instanceId + "/" + groupId;
        GroupDetail group = groups.get(key);
        if (group == null) {
            group = session.client().showGroup(instanceId, groupId);
            groups.put(key, group);
        }
        return group;
    }
}
