package io.certform.apply;

import io.certform.api.ManagedCertificates;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A call that names many domains at once (attach, detach a shared certificate): its look tells which of them show
 * the effect, so a batch whose answer never came records the part that did take effect and leaves the rest open.
 */
sealed interface BatchCall extends Call<Boolean> permits AttachCall, DetachCall {

    /** The certificate the domains are attached to or detached from. */
    String certificateId();

    /** The attachments, as they will be recorded (attach) or as recorded (detach). */
    List<ResourceState> objects();

    /** The same call for part of the batch. */
    BatchCall part(List<ResourceState> objects);

    /** Whether an attachment's effect shows, given the domains the certificate is attached to now. */
    boolean shows(ResourceState object, Set<String> attached);

    /** The attachments whose effect shows now, read through the one answer: the certificate's attached domains. */
    default List<ResourceState> showing(RemoteDirectory remote, boolean fresh)
            throws InterruptedException, RemoteReadException {
        Set<String> attached = attached(remote, certificateId(), fresh);
        List<ResourceState> out = new ArrayList<>();
        for (ResourceState o : objects()) {
            if (shows(o, attached)) {
                out.add(o);
            }
        }
        return out;
    }

    @Override
    default Boolean look(RemoteDirectory remote, boolean fresh) throws InterruptedException, RemoteReadException {
        return showing(remote, fresh).size() == objects().size() ? Boolean.TRUE : null;
    }

    @Override
    default List<JournalRecord.Intent> intents(Instant sent) {
        List<JournalRecord.Intent> intents = new ArrayList<>(objects().size());
        for (ResourceState o : objects()) {
            intents.add(JournalRecord.Intent.shared(op(), o, null, sent));
        }
        return intents;
    }

    @Override
    default List<JournalRecord.Done> recorded(Boolean result, Instant now) {
        List<JournalRecord.Done> out = new ArrayList<>(objects().size());
        for (ResourceState o : objects()) {
            out.add(JournalRecord.Done.shared(op(), o, op().removes() ? null : o.boundAt(now)));
        }
        return out;
    }

    /** An attachment's key in the answer of attached domains. */
    static String key(ResourceState o) {
        return o.instanceId() + "/" + o.domainId();
    }

    /** The keys of the domains the certificate is attached to (none when it is gone). */
    private static Set<String> attached(RemoteDirectory remote, String certificateId, boolean fresh)
            throws InterruptedException, RemoteReadException {
        List<ManagedCertificates.AttachedDomain> now = remote.attachments(certificateId, fresh);
        Set<String> attached = new HashSet<>();
        if (now != null) {
            now.forEach(d -> attached.add(d.instanceId() + "/" + d.domainId()));
        }
        return attached;
    }

    /** The domains of {@code objects} as the call names them: by name, with the instances of each. */
    static List<ManagedCertificates.DomainTarget> targets(List<ResourceState> objects) {
        Map<String, Set<String>> instancesByName = new LinkedHashMap<>();
        for (ResourceState o : objects) {
            instancesByName.computeIfAbsent(o.urlDomain(), n -> new TreeSet<>()).add(o.instanceId());
        }
        List<ManagedCertificates.DomainTarget> targets = new ArrayList<>();
        instancesByName.forEach((name, instances) -> targets.add(new ManagedCertificates.DomainTarget(name,
                new ArrayList<>(instances), false)));
        return targets;
    }
}
