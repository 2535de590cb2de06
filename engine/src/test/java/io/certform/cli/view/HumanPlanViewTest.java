package io.certform.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cert.CertificateInfo;
import io.certform.plan.Action;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A plan of thousands of bindings stays readable: shared attributes once per certificate, or one line each. */
class HumanPlanViewTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final CertificateInfo WILD = new CertificateInfo("wild-sha", "chain-sha", "5a01",
            NOW.minusSeconds(86400), NOW.plusSeconds(86400 * 90), "RSA", "RSA 2048", "*.example.com",
            List.of("*.example.com"), "Test CA", "SHA256WITHRSA");

    private final StringWriter text = new StringWriter();

    private static ResourceChange create(String key, int i) {
        DesiredBinding b = new DesiredBinding(key + "[d" + i + ".example.com]", key,
                new DesiredBinding.Domain("inst", "g" + i / 5, null, "d" + i + ".example.com"),
                new DesiredBinding.Upload(key + "_2026", "global", null, WILD, null, null), null);
        return new ResourceChange(b.address(), Action.CREATE, Set.of(Reason.NOT_IN_STATE), null, b);
    }

    private static ResourceChange delete(int i) {
        ResourceState r = new ResourceState("old[o" + i + ".example.com]", "old", "inst", "g", "o" + i,
                "o" + i + ".example.com", "s" + i, "old_2025", "global", null, "RSA", "aa", null, null, "01",
                "2027-01-01T00:00:00Z", "CA");
        return new ResourceChange(r.address(), Action.DELETE, Set.of(Reason.REMOVED_FROM_MANIFEST), r, null);
    }

    private String render(List<ResourceChange> changes, boolean compact) {
        HumanPlanView view = new HumanPlanView(new PrintWriter(text), new Style(false));
        (compact ? view.compact() : view).render(new Plan(changes, "l", 1), Map.of(), NOW);
        return text.toString();
    }

    private static long count(String shown, String part) {
        return shown.lines().filter(l -> l.contains(part)).count();
    }

    @Test
    void largePlan_showsWhatACertificatesBindingsShareOnce_andEachBindingOnOneLine() {
        List<ResourceChange> changes = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            changes.add(create("wild", i));
            changes.add(create("shop", 100 + i));
        }
        changes.add(delete(1));
        String shown = render(changes, false);
        assertEquals(2, count(shown, "cert_sha256"), shown);
        assertTrue(shown.contains("# 40 bindings of certificate \"wild\" will be created, sharing:\n"
                + "  + certificate \"wild\" {\n      + ssl_name       = \"wild_2026\"\n"), shown);
        assertTrue(shown.contains("  + binding \"wild[d7.example.com]\" { instance_id = \"inst\", group_id = \"g1\","
                + " domain_id = (known after apply), url_domain = \"d7.example.com\" }"), shown);
        assertEquals(80, count(shown, "  + binding \""), shown);
        assertTrue(shown.contains("  # old[o1.example.com] will be destroyed"), "other changes keep their block");
        assertTrue(shown.contains("Plan: 80 to add, 0 to change, 1 to destroy."), shown);
    }

    @Test
    void smallPlan_keepsOneBlockPerBinding() {
        String shown = render(List.of(create("wild", 1), create("wild", 2)), false);
        assertEquals(2, count(shown, "cert_sha256"), shown);
        assertEquals(0, count(shown, "sharing:"), shown);
    }

    @Test
    void compactPlan_printsOneLinePerChange() {
        List<ResourceChange> changes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            changes.add(create("wild", i));
        }
        changes.add(delete(1));
        String shown = render(changes, true);
        assertTrue(shown.contains("\n  + wild[d0.example.com] will be created\n  + wild[d1.example.com] will be created\n"
                + "  + wild[d2.example.com] will be created\n  - old[o1.example.com] will be destroyed (because"),
                shown);
        assertEquals(0, count(shown, "cert_sha256"), shown);
    }

    @Test
    void noChangeButAnOpenIntent_isNeverNoChanges_andSaysWhatIsUnknown() {
        HumanPlanView view = new HumanPlanView(new PrintWriter(text), new Style(false));
        view.pending(new io.certform.plan.Pending(List.of(new io.certform.plan.Pending.Unknown("wild[d1.example.com]",
                "d1.example.com", "bind", "wild_2026", NOW)), null)).render(new Plan(List.of(), "l", 1), Map.of(), NOW);
        String shown = text.toString();
        assertTrue(!shown.contains("No changes."), shown);
        assertTrue(shown.contains("No changes can be confirmed yet."), shown);
        assertTrue(shown.contains("wild[d1.example.com] (domain d1.example.com): unknown. A bind call for certificate"
                + " wild_2026 sent at " + NOW), shown);
    }
}
