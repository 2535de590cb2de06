package io.certform.apply;

import io.certform.base.Sleeper;

import io.certform.api.ApiException;
import io.certform.api.CertificateDetail;
import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.api.GroupDetail;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * Finishes what a run that died left in the journal. Completed results are replayed into state; each intent
 * without a result is resolved against the remote side, never by sending the call again: a bind whose domain now
 * carries the intended certificate (its name and serial, under a new ssl_id) is adopted, otherwise it is void; an
 * unbind whose certificate is gone is recorded as done. Then the store settles: the state is written and the
 * journal emptied.
 */
public final class Recovery {

    /** What recovery did. */
    public record Outcome(int replayed, int adopted, int voided, int unbound) {
        public boolean any() {
            return replayed + adopted + voided + unbound > 0;
        }
    }

    private Recovery() {
    }

    /**
     * @param records the journal as read ({@link StateStore#journal()}); it is emptied once they are resolved
     * @param client  used only when some intent is open; may be null otherwise
     */
    public static Outcome recover(StateStore store, List<JournalRecord> records, GatewayClient client, Backoff backoff,
                                  Sleeper sleeper, String version) throws StateException, InterruptedException {
        if (records.isEmpty()) {
            return new Outcome(0, 0, 0, 0);
        }
        State state = store.read();
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        state.resources().forEach(r -> resources.put(r.address(), r));
        int replayed = 0;
        for (JournalRecord r : records) {
            if (apply(r, resources)) {
                replayed++;
            }
        }
        Retrier retrier = new Retrier(backoff, sleeper, new Random(), new ConcurrencyLimiter(1), null);
        Map<String, GroupDetail> groups = new HashMap<>();
        int adopted = 0;
        int voided = 0;
        int unbound = 0;
        for (JournalRecord.Intent intent : JournalRecord.openIntents(records)) {
            ResourceState where = intent.planned();
            DomainLocation at = new DomainLocation(where.instanceId(), where.groupId(), where.domainId());
            Optional<GroupDetail.Domain> domain = domain(groups, retrier, client, at);
            String now = domain.map(GroupDetail.Domain::sslId).filter(id -> !id.isEmpty()).orElse(null);
            if (intent.op() == JournalRecord.Op.UNBIND) {
                if (now == null || !now.equals(intent.oldSslId())) {
                    resources.remove(intent.address());
                    unbound++;
                } else {
                    voided++;
                }
                continue;
            }
            if (now != null && !now.equals(intent.oldSslId())) {
                CertificateDetail detail = retrier.idempotent(() -> client.showCertificate(at, now), (a, e, d) -> { });
                ResourceState planned = intent.planned();
                if (planned.sslName().equals(detail.name())
                        && planned.serialNumber().equalsIgnoreCase(String.valueOf(detail.serialNumber()))) {
                    resources.put(intent.address(), planned.bound(now, null, domain.get().name()));
                    adopted++;
                    continue;
                }
            }
            voided++;
        }
        store.settle(state.next(new ArrayList<>(resources.values()), version), List.of());
        return new Outcome(replayed, adopted, voided, unbound);
    }

    private static Optional<GroupDetail.Domain> domain(Map<String, GroupDetail> groups, Retrier retrier,
                                                       GatewayClient client, DomainLocation at)
            throws InterruptedException {
        String key = at.instanceId() + "/" + at.groupId();
        GroupDetail group = groups.get(key);
        if (group == null) {
            try {
                group = retrier.idempotent(() -> client.showGroup(at.instanceId(), at.groupId()), (a, e, d) -> { });
            } catch (ApiException e) {
                if (e.isNotFound()) {
                    return Optional.empty();
                }
                throw e;
            }
            groups.put(key, group);
        }
        return group.domains().stream().filter(d -> d.id().equals(at.domainId())).findFirst();
    }

    /** Applies a result record; true when it changed something. */
    private static boolean apply(JournalRecord r, Map<String, ResourceState> resources) {
        if (!(r instanceof JournalRecord.Done done)) {
            return false;
        }
        if (done.resource() != null) {
            resources.put(done.address(), done.resource());
        } else {
            resources.remove(done.address());
        }
        return true;
    }
}
