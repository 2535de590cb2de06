package io.certform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.cert.CertificateInfo;
import io.certform.base.Secret;
import io.certform.base.SourceRange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The planner in the certificate-management model: one certificate resource per certificate key, whatever the
 * number of domains attached to it; a content change updates that one record in place, a scope change replaces it
 * and re-attaches every domain; a rollout turns an in-place rotation into a replacement its waves attach domain by
 * domain; and recorded objects the manifest no longer has are removed for the reason that applies.
 */
class PlannerSharedModelTest {

    private static final Instant NOT_AFTER = Instant.parse("2031-08-16T06:36:13Z");
    private static final CertificateInfo LEAF = info("leaf-sha", "chain-sha", "5a01");

    private static CertificateInfo info(String sha, String chainSha, String serial) {
        return new CertificateInfo(sha, chainSha, serial, NOT_AFTER.minusSeconds(86400 * 365), NOT_AFTER, "RSA",
                "RSA 2048", "*.example.com", List.of("*.example.com"), "Test CA", "SHA256WITHRSA");
    }

    private static DesiredBinding.Upload upload(CertificateInfo info, String type, String instance) {
        return new DesiredBinding.Upload("wild_2026", type, instance, info, null,
                new CertificateMaterial("pem", new Secret("key", "env K", null), null), ResourceState.SHARED);
    }

    /** An attachment of certificate key {@code key} to domain {@code name}. */
    private static DesiredBinding attachment(String key, String name, DesiredBinding.Upload upload) {
        return new DesiredBinding(key + "[" + name + "]", key, new DesiredBinding.Domain("inst", "grp", "d-" + name,
                name), upload, new SourceRange("certform.yaml", 3, 5));
    }

    private static List<DesiredBinding> wild(DesiredBinding.Upload upload) {
        return List.of(attachment("wild", "a.example.com", upload), attachment("wild", "b.example.com", upload));
    }

    /** The state after {@code desired} was applied: the certificate resource as cert-1, each domain attached. */
    private static State applied(List<DesiredBinding> desired) {
        Map<String, ResourceState> out = new LinkedHashMap<>();
        for (DesiredBinding d : desired) {
            out.putIfAbsent(d.certificateKey(), d.asCertificateResource().recorded().bound("cert-1", "wild_2026",
                    null));
            out.put(d.address(), d.recorded().bound("cert-1", null, d.urlDomain()));
        }
        return new State(State.FORMAT_VERSION, "t", "lineage-1", 3, List.copyOf(out.values()));
    }

    private static Map<String, String> actions(Plan plan) {
        Map<String, String> out = new LinkedHashMap<>();
        plan.changes().forEach(c -> out.put(c.key(), c.action() + " " + new java.util.TreeSet<>(c.reasons())));
        return out;
    }

    @Test
    void nothingRecorded_oneCertificateResourceIsMade_andEachDomainAttached() {
        Plan plan = Planner.plan(wild(upload(LEAF, "global", null)), State.empty("t"));
        assertEquals(Map.of(
                "wild", "CREATE [NOT_IN_STATE]",
                "wild[a.example.com]", "CREATE [NOT_IN_STATE]",
                "wild[b.example.com]", "CREATE [NOT_IN_STATE]"), actions(plan));
        assertEquals(null, plan.changes().get(0).after().domainId(), "the certificate resource has no domain");
    }

    @Test
    void unchanged_isNoChange() {
        List<DesiredBinding> desired = wild(upload(LEAF, "global", null));
        assertEquals(Map.of(
                "wild", "NO_OP []",
                "wild[a.example.com]", "NO_OP []",
                "wild[b.example.com]", "NO_OP []"), actions(Planner.plan(desired, applied(desired))));
    }

    @Test
    void aRenewal_updatesTheOneCertificateRecord_andNoAttachment() {
        State before = applied(wild(upload(LEAF, "global", null)));
        Plan plan = Planner.plan(wild(upload(info("new-leaf", "new-chain", "5a02"), "global", null)), before);
        assertEquals(Map.of(
                "wild", "UPDATE [CERTIFICATE_CHANGED]",
                "wild[a.example.com]", "NO_OP []",
                "wild[b.example.com]", "NO_OP []"), actions(plan));
        Plan chain = Planner.plan(wild(upload(info("leaf-sha", "new-chain", "5a01"), "global", null)), before);
        assertEquals("UPDATE [CHAIN_CHANGED]", actions(chain).get("wild"));
        Plan renamed = Planner.plan(wild(upload(LEAF, "global", null).named("wild_v2")), before);
        assertEquals("UPDATE [NAME_CHANGED]", actions(renamed).get("wild"));
        Plan trusting = Planner.plan(wild(upload(LEAF, "global", null).trusting("root-sha")), before);
        assertEquals("UPDATE [TRUSTED_ROOT_CA_CHANGED]", actions(trusting).get("wild"));
    }

    @Test
    void aScopeChange_replacesTheCertificate_andReattachesEveryDomain() {
        State before = applied(wild(upload(LEAF, "global", null)));
        assertEquals(Map.of(
                "wild", "CREATE_THEN_DELETE [SCOPE_CHANGED]",
                "wild[a.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]",
                "wild[b.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]"),
                actions(Planner.plan(wild(upload(LEAF, "instance", "inst")), before)));
        State instance = applied(wild(upload(LEAF, "instance", "inst")));
        assertEquals("CREATE_THEN_DELETE [SCOPE_CHANGED]",
                actions(Planner.plan(wild(upload(LEAF, "instance", "inst2")), instance)).get("wild"),
                "another instance is another scope");
    }

    @Test
    void aCertificateResourceRemovedOutside_isMadeAgain_andEveryDomainReattachedToIt() {
        List<DesiredBinding> desired = wild(upload(LEAF, "global", null));
        State before = applied(desired);
        Drift removed = new Drift("wild", Drift.Kind.REMOVED, before.resource("wild").orElseThrow(), null, List.of());
        assertEquals(Map.of(
                "wild", "CREATE [REMOVED_OUTSIDE]",
                "wild[a.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]",
                "wild[b.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]"),
                actions(Planner.plan(desired, before, Map.of("wild", removed))));
    }

    @Test
    void anAttachmentRecordedOnAnotherCertificateThanTheResource_isReattached() {
        List<DesiredBinding> desired = wild(upload(LEAF, "global", null));
        State before = applied(desired);
        List<ResourceState> resources = new java.util.ArrayList<>(before.resources());
        resources.set(2, resources.get(2).bound("cert-0", null, "b.example.com")); // an interrupted replacement
        Plan plan = Planner.plan(desired, before.withResources(resources));
        assertEquals(Map.of(
                "wild", "NO_OP []",
                "wild[a.example.com]", "NO_OP []",
                "wild[b.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]"), actions(plan));
    }

    @Test
    void anAttachmentMovedToAnotherDomain_isAttachedThereAndDetachedHere() {
        List<DesiredBinding> desired = wild(upload(LEAF, "global", null));
        State before = applied(desired);
        List<DesiredBinding> moved = List.of(desired.get(0), desired.get(1).with(desired.get(1).domain()
                .inGroup("grp2")));
        assertEquals("CREATE_THEN_DELETE [DOMAIN_MOVED]", actions(Planner.plan(moved, before))
                .get("wild[b.example.com]"));
    }

    @Test
    void forRollout_aRotationBecomesAReplacementThatTheWavesAttach() {
        State before = applied(wild(upload(LEAF, "global", null)));
        List<DesiredBinding> other = List.of(attachment("other", "c.example.com", upload(LEAF, "global", null)));
        List<DesiredBinding> desired = new java.util.ArrayList<>(wild(upload(info("new", "new-chain", "5a02"),
                "global", null)));
        desired.addAll(other);
        List<ResourceState> recorded = new java.util.ArrayList<>(before.resources());
        recorded.addAll(applied(other).resources());
        Plan plan = Planner.forRollout(Planner.plan(desired, before.withResources(recorded)));
        assertEquals(Map.of(
                "other", "NO_OP []",
                "other[c.example.com]", "NO_OP []",
                "wild", "CREATE_THEN_DELETE [ROTATED_FOR_ROLLOUT]",
                "wild[a.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]",
                "wild[b.example.com]", "CREATE_THEN_DELETE [CERTIFICATE_REPLACED]"), actions(plan));
        assertEquals(before.serial(), plan.serial());
    }

    @Test
    void forRollout_rotatesOnAChainChangeOrAChangeOutside_butNotOnARename() {
        List<DesiredBinding> desired = wild(upload(LEAF, "global", null));
        State before = applied(desired);
        assertEquals("CREATE_THEN_DELETE [ROTATED_FOR_ROLLOUT]", actions(Planner.forRollout(Planner.plan(
                wild(upload(info("leaf-sha", "new-chain", "5a01"), "global", null)), before))).get("wild"));
        Drift changed = new Drift("wild", Drift.Kind.CHANGED, before.resource("wild").orElseThrow(),
                before.resource("wild").orElseThrow(), List.of("serial 77 (expected 5a01)"));
        assertEquals("CREATE_THEN_DELETE [ROTATED_FOR_ROLLOUT]", actions(Planner.forRollout(Planner.plan(desired,
                before, Map.of("wild", changed)))).get("wild"));
        Map<String, String> renamed = actions(Planner.forRollout(Planner.plan(
                wild(upload(LEAF, "global", null).named("wild_v2")), before)));
        assertEquals("UPDATE [NAME_CHANGED]", renamed.get("wild"), "a rename changes no domain's certificate");
        assertEquals("NO_OP []", renamed.get("wild[a.example.com]"));
    }

    @Test
    void aKeyNowBoundPerDomain_removesItsSharedResourceBecauseTheModelChanged() {
        State before = applied(wild(upload(LEAF, "global", null)));
        DesiredBinding.Upload perDomain = new DesiredBinding.Upload("wild_2026", "global", null, LEAF, null,
                upload(LEAF, "global", null).material());
        Plan plan = Planner.plan(wild(perDomain), before);
        assertEquals(Map.of(
                "wild", "DELETE [MODEL_CHANGED]",
                "wild[a.example.com]", "CREATE_THEN_DELETE [MODEL_CHANGED]",
                "wild[b.example.com]", "CREATE_THEN_DELETE [MODEL_CHANGED]"), actions(plan));
    }

    @Test
    void eachRemovedObject_isRemovedForTheReasonThatApplies() {
        State before = applied(wild(upload(LEAF, "global", null)));
        ResourceState a = before.resource("wild[a.example.com]").orElseThrow();
        ResourceState b = before.resource("wild[b.example.com]").orElseThrow();
        Map<String, Drift> drift = Map.of(
                a.address(), new Drift(a.address(), Drift.Kind.DOMAIN_GONE, a, null, List.of()),
                b.address(), new Drift(b.address(), Drift.Kind.REMOVED, b, null, List.of()));
        assertEquals(Map.of(
                "wild", "DELETE [REMOVED_FROM_MANIFEST]",
                "wild[a.example.com]", "DELETE [DOMAIN_GONE]",
                "wild[b.example.com]", "DELETE [REMOVED_OUTSIDE]"), actions(Planner.plan(List.of(), before, drift)));
        assertEquals(Map.of(
                "wild", "DELETE [DESTROY_REQUESTED]",
                "wild[a.example.com]", "DELETE [DESTROY_REQUESTED]",
                "wild[b.example.com]", "DELETE [DESTROY_REQUESTED]"),
                actions(Planner.plan(List.of(), before, Map.of(), true)));
        State deposed = before.withResources(List.of(before.resource("wild").orElseThrow().deposedRecord()));
        assertEquals("DELETE [DEPOSED]", actions(Planner.plan(List.of(), deposed, Map.of(), true)).values().iterator()
                .next(), "a deposed object goes because it was replaced, not because destroy asked");
    }

    @Test
    void aDeposedCertificateBesideTheLiveOne_isRemovedApart_andTheLiveOneIsPlannedAsItIs() {
        List<DesiredBinding> desired = wild(upload(LEAF, "global", null));
        State before = applied(desired);
        List<ResourceState> withDeposed = new java.util.ArrayList<>(before.resources());
        withDeposed.add(before.resource("wild").orElseThrow().bound("old-id", null, null).deposedRecord());
        Plan plan = Planner.plan(desired, before.withResources(withDeposed));
        assertEquals(Map.of(
                "wild", "NO_OP []",
                "wild (deposed old-id)", "DELETE [DEPOSED]",
                "wild[a.example.com]", "NO_OP []",
                "wild[b.example.com]", "NO_OP []"), actions(plan));
        assertEquals(List.of("wild", "wild"), plan.changes().stream().filter(c -> !c.address().contains("["))
                .map(ResourceChange::address).toList(), "both changes at the one address");
    }
}
