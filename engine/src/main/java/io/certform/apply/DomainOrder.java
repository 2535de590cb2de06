package io.certform.apply;

import io.certform.plan.Action;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a plan's changes so that every call for one domain runs in one sequence: two changes that touch the
 * same domain (a removal of one binding and the creation of another on that domain, or a replace that leaves one
 * domain for another) never run at once, and removals go first. Different domains still run in parallel.
 */
final class DomainOrder {

    private DomainOrder() {
    }

    /** The changes in sequences; each sequence runs in order, sequences run in parallel. */
    static List<List<ResourceChange>> serialized(List<ResourceChange> changes) {
        Map<String, String> parent = new HashMap<>();
        for (ResourceChange change : changes) {
            List<String> domains = domains(change);
            for (String domain : domains) {
                parent.putIfAbsent(domain, domain);
            }
            for (int i = 1; i < domains.size(); i++) {
                union(parent, domains.get(0), domains.get(i));
            }
        }
        Map<String, List<ResourceChange>> sequences = new LinkedHashMap<>();
        for (ResourceChange change : changes) {
            List<String> domains = domains(change);
            String root = domains.isEmpty() ? "address:" + change.key() : find(parent, domains.get(0));
            sequences.computeIfAbsent(root, k -> new ArrayList<>()).add(change);
        }
        List<List<ResourceChange>> out = new ArrayList<>();
        for (List<ResourceChange> sequence : sequences.values()) {
            sequence.sort(Comparator.comparingInt(DomainOrder::rank));
            out.add(sequence);
        }
        return out;
    }

    /** Removals first, then replaces, then updates and creates. */
    private static int rank(ResourceChange change) {
        return change.action() == Action.DELETE ? 0 : change.action() == Action.REPLACE ? 1 : 2;
    }

    private static List<String> domains(ResourceChange change) {
        List<String> out = new ArrayList<>(2);
        ResourceState before = change.before();
        if (before != null && before.domainId() != null) {
            out.add(key(before.instanceId(), before.groupId(), before.domainId()));
        }
        if (change.after() != null && change.after().domainId() != null) {
            String after = key(change.after().instanceId(), change.after().groupId(), change.after().domainId());
            if (!out.contains(after)) {
                out.add(after);
            }
        }
        return out;
    }

    private static String key(String instanceId, String groupId, String domainId) {
        return instanceId + "/" + groupId + "/" + domainId;
    }

    private static String find(Map<String, String> parent, String x) {
        String root = x;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        while (!parent.get(x).equals(root)) {
            String next = parent.get(x);
            parent.put(x, root);
            x = next;
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(rb, ra);
        }
    }
}
