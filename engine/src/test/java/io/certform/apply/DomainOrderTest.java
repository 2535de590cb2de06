package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every call for one domain runs in one sequence, removals first; different domains run apart. */
class DomainOrderTest {

    private static ResourceState recorded(String address, String domainId) {
        return new ResourceState(address, "k", "i", "g", domainId, null, "s-" + address, "n", "global", null, "RSA",
                "aa", null, null, "01", "2031-01-01T00:00:00Z", "CA");
    }

    private static DesiredBinding desired(String address, String domainId) {
        return new DesiredBinding(address, "k", new DesiredBinding.Domain("i", "g", domainId, null),
                new DesiredBinding.Upload("n", "global", null, null, null, null), null);
    }

    private static List<String> addresses(List<ResourceChange> sequence) {
        return sequence.stream().map(ResourceChange::address).toList();
    }

    @Test
    void aRemovalAndACreationOnOneDomain_runInOneSequence_removalFirst() {
        ResourceChange create = new ResourceChange("b[d1]", Action.CREATE, Set.of(Reason.NOT_IN_STATE), null,
                desired("b[d1]", "d1"));
        ResourceChange delete = new ResourceChange("a[d1]", Action.DELETE, Set.of(Reason.REMOVED_FROM_MANIFEST),
                recorded("a[d1]", "d1"), null);
        ResourceChange other = new ResourceChange("c[d2]", Action.CREATE, Set.of(Reason.NOT_IN_STATE), null,
                desired("c[d2]", "d2"));
        List<List<ResourceChange>> sequences = DomainOrder.serialized(List.of(create, delete, other));
        assertEquals(2, sequences.size(), sequences.toString());
        assertEquals(List.of("a[d1]", "b[d1]"), addresses(sequences.get(0)));
        assertEquals(List.of("c[d2]"), addresses(sequences.get(1)));
    }

    @Test
    void aReplaceJoinsTheDomainItLeavesAndTheOneItMovesTo() {
        ResourceChange replace = new ResourceChange("a[x]", Action.REPLACE, Set.of(Reason.DOMAIN_MOVED),
                recorded("a[x]", "d1"), desired("a[x]", "d2"));
        ResourceChange createOnOld = new ResourceChange("b[d1]", Action.CREATE, Set.of(Reason.NOT_IN_STATE), null,
                desired("b[d1]", "d1"));
        ResourceChange deleteOnNew = new ResourceChange("c[d2]", Action.DELETE, Set.of(Reason.REMOVED_FROM_MANIFEST),
                recorded("c[d2]", "d2"), null);
        List<List<ResourceChange>> sequences = DomainOrder.serialized(List.of(createOnOld, replace, deleteOnNew));
        assertEquals(1, sequences.size(), "d1 and d2 are tied by the replace: " + sequences);
        assertEquals(List.of("c[d2]", "a[x]", "b[d1]"), addresses(sequences.get(0)));
    }
}
