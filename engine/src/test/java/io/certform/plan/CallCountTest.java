package io.certform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.state.ResourceState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The plan says what apply will send, per certificate, before anything is sent. */
class CallCountTest {

    private static ResourceState recorded(String key, String address) {
        return new ResourceState(address, key, "i", "g", address, null, "s-" + address, "n", "global", null, "RSA",
                "aa", null, null, "01", "2031-01-01T00:00:00Z", "CA");
    }

    private static DesiredBinding desired(String key, String address) {
        return new DesiredBinding(address, key, new DesiredBinding.Domain("i", "g", address, null),
                new DesiredBinding.Upload("n", "global", null, null, null, null), null);
    }

    private static ResourceChange change(String key, String address, Action action, Reason reason) {
        boolean before = action != Action.CREATE;
        boolean after = action != Action.DELETE;
        return new ResourceChange(address, action, Set.of(reason), before ? recorded(key, address) : null,
                after ? desired(key, address) : null);
    }

    @Test
    void eachActionCostsWhatTheApplierSends_perCertificate() {
        Plan plan = new Plan(List.of(
                change("shop", "shop[a]", Action.CREATE, Reason.NOT_IN_STATE),
                change("shop", "shop[b]", Action.CREATE, Reason.NOT_IN_STATE),
                change("shop", "shop[c]", Action.UPDATE, Reason.CERTIFICATE_CHANGED),
                change("shop", "shop[d]", Action.REPLACE, Reason.DOMAIN_MOVED),
                change("shop", "shop[e]", Action.NO_OP, Reason.NOT_IN_STATE),
                change("old", "old[x]", Action.DELETE, Reason.REMOVED_FROM_MANIFEST),
                change("old", "old[y]", Action.DELETE, Reason.DOMAIN_GONE),
                change("same", "same[z]", Action.NO_OP, Reason.NOT_IN_STATE)), "lineage", 1);
        List<CallCount> counts = CallCount.of(plan);
        assertEquals(List.of(new CallCount("old", "per-domain", 1, 1), new CallCount("shop", "per-domain", 5, 6)),
                counts, "create 1, update 1 (2 with a DELETE first), replace 2, delete 1, forget 0, no-op 0");
        assertEquals(6, CallCount.total(counts));
    }

    @Test
    void model_namesEachModelOnce_beforeAndAfterASwitch() {
        assertEquals("per-domain", CallCount.model(Set.of("per-domain"), Set.of("per-domain")));
        assertEquals("shared -> per-domain", CallCount.model(Set.of("shared"), Set.of("per-domain")));
        assertEquals("per-domain -> shared", CallCount.model(Set.of("per-domain", "shared"), Set.of("shared")),
                "a switch half done by an interrupted run");
        assertEquals("shared", CallCount.model(null, Set.of("shared")), "made anew");
        assertEquals("shared", CallCount.model(Set.of("shared"), null), "removed");
    }
}
