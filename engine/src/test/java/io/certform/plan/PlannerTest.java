package io.certform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cert.CertificateInfo;
import io.certform.base.SourceRange;
import io.certform.base.Secret;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PlannerTest {

    private static final String ADDRESS = "shop[api.example.com]";
    private static final Instant NOT_AFTER = Instant.parse("2031-08-16T06:36:13Z");

    /** A desired binding that matches {@link #recorded()} exactly. */
    private static DesiredBinding desired() {
        CertificateInfo info = new CertificateInfo("leaf-sha", "chain-sha", "5a01", NOT_AFTER.minusSeconds(86400 * 365),
                NOT_AFTER, "RSA", "RSA 2048", "api.example.com", List.of("api.example.com"), "Test CA", "SHA256WITHRSA");
        return new DesiredBinding(ADDRESS, "shop", new DesiredBinding.Domain("inst", "grp", "dom", "api.example.com"),
                new DesiredBinding.Upload("shop_api", "global", null, info, null,
                        new CertificateMaterial("pem", new Secret("key", "env K", null), null)),
                new SourceRange("certform.yaml", 12, 9));
    }

    private static ResourceState recorded() {
        return new ResourceState(ADDRESS, "shop", "inst", "grp", "dom", "api.example.com", "ssl-1", "shop_api",
                "global", null, "RSA", "leaf-sha", "chain-sha", null, "5a01", NOT_AFTER.toString(), "Test CA");
    }

    private static State stateWith(ResourceState... resources) {
        return new State(State.FORMAT_VERSION, "test", "lineage-1", 7, List.of(resources));
    }

    private static DesiredBinding withInfo(DesiredBinding d, CertificateInfo info) {
        return d.with(d.upload().of(info));
    }

    static Stream<Arguments> changesOfOneBinding() {
        UnaryOperator<DesiredBinding> same = d -> d;
        UnaryOperator<DesiredBinding> newLeaf = d -> withInfo(d, new CertificateInfo("other-leaf", "other-chain",
                "5a02", d.certificate().notBefore(), NOT_AFTER.plusSeconds(86400), "RSA", "RSA 2048", "api.example.com",
                List.of("api.example.com"), "Test CA", "SHA256WITHRSA"));
        UnaryOperator<DesiredBinding> newChain = d -> withInfo(d, new CertificateInfo("leaf-sha", "other-chain",
                "5a01", d.certificate().notBefore(), NOT_AFTER, "RSA", "RSA 2048", "api.example.com",
                List.of("api.example.com"), "Test CA", "SHA256WITHRSA"));
        UnaryOperator<DesiredBinding> renamed = d -> d.with(d.upload().named("shop_api_v2"));
        UnaryOperator<DesiredBinding> rescoped = d -> d.with(d.upload().scoped("instance", "inst"));
        UnaryOperator<DesiredBinding> withRootCa = d -> d.with(d.upload().trusting("root-sha"));
        UnaryOperator<DesiredBinding> otherGroup = d -> d.with(d.domain().inGroup("grp2"));
        UnaryOperator<DesiredBinding> otherDomainId = d -> d.withDomainId("dom2");
        UnaryOperator<DesiredBinding> nameOnly = d -> d.withDomainId(null);
        UnaryOperator<DesiredBinding> renamedAndNewLeaf = d -> renamed.apply(newLeaf.apply(d));
        return Stream.of(
                Arguments.of("identical", same, Action.NO_OP, Set.of()),
                Arguments.of("named domain, id taken from state", nameOnly, Action.NO_OP, Set.of()),
                Arguments.of("new leaf certificate", newLeaf, Action.UPDATE, Set.of(Reason.CERTIFICATE_CHANGED)),
                Arguments.of("same leaf, new chain", newChain, Action.UPDATE, Set.of(Reason.CHAIN_CHANGED)),
                Arguments.of("certificate renamed", renamed, Action.UPDATE, Set.of(Reason.NAME_CHANGED)),
                Arguments.of("renamed and new leaf", renamedAndNewLeaf, Action.UPDATE,
                        Set.of(Reason.NAME_CHANGED, Reason.CERTIFICATE_CHANGED)),
                Arguments.of("type global -> instance", rescoped, Action.UPDATE, Set.of(Reason.SCOPE_CHANGED)),
                Arguments.of("trusted root CA added", withRootCa, Action.UPDATE,
                        Set.of(Reason.TRUSTED_ROOT_CA_CHANGED)),
                Arguments.of("moved to another group", otherGroup, Action.REPLACE, Set.of(Reason.DOMAIN_MOVED)),
                Arguments.of("moved to another domain id", otherDomainId, Action.REPLACE, Set.of(Reason.DOMAIN_MOVED)));
    }

    @ParameterizedTest(name = "{0} -> {2} {3}")
    @MethodSource("changesOfOneBinding")
    void change_ofARecordedBinding(String name, UnaryOperator<DesiredBinding> edit, Action action, Set<Reason> reasons) {
        Plan plan = Planner.plan(List.of(edit.apply(desired())), stateWith(recorded()));
        assertEquals(1, plan.changes().size());
        ResourceChange change = plan.changes().get(0);
        assertEquals(action, change.action(), name);
        assertEquals(reasons, change.reasons(), name);
        assertEquals(recorded(), change.before());
        if (action != Action.REPLACE) {
            assertEquals("dom", change.after().domainId(),
                    "the recorded domain id is carried to the change when the manifest names the domain only");
        }
    }

    @Test
    void bindingNotInState_isCreated() {
        Plan plan = Planner.plan(List.of(desired()), stateWith());
        ResourceChange change = plan.changes().get(0);
        assertEquals(Action.CREATE, change.action());
        assertEquals(Set.of(Reason.NOT_IN_STATE), change.reasons());
        assertNull(change.before());
        assertEquals(1, plan.toAdd());
        assertTrue(plan.hasChanges());
    }

    @Test
    void bindingTheDomainAlreadyCarries_isAdopted_notCreated_whateverTheStateSays() {
        ResourceState found = desired().recorded().bound("ssl-found", "shop_api", "api.example.com");
        Plan plan = Planner.plan(List.of(desired()), stateWith(), java.util.Map.of(), false,
                java.util.Map.of(ADDRESS, found));
        ResourceChange change = plan.changes().get(0);
        assertEquals(Action.ADOPT, change.action());
        assertEquals(List.of("adopt"), change.action().wireActions());
        assertEquals(Set.of(Reason.ALREADY_IN_PLACE), change.reasons());
        assertEquals("ssl-found", change.adopted().sslId());
        assertEquals(0, plan.toAdd());
        assertEquals(1, plan.toAdopt());
        assertTrue(plan.hasChanges(), "the state still has to record it");

        // a renewal bound by hand: the recorded binding has the old certificate, the domain the declared one
        DesiredBinding renewed = withInfo(desired(), new CertificateInfo("new-leaf", "new-chain", "5a02",
                NOT_AFTER.minusSeconds(86400), NOT_AFTER.plusSeconds(86400), "RSA", "RSA 2048", "api.example.com",
                List.of("api.example.com"), "Test CA", "SHA256WITHRSA"));
        Plan renewal = Planner.plan(List.of(renewed), stateWith(recorded()), java.util.Map.of(), false,
                java.util.Map.of(ADDRESS, renewed.recorded().bound("ssl-2", null, null)));
        assertEquals(Action.ADOPT, renewal.changes().get(0).action());
        assertEquals(0, renewal.toChange());
    }

    @Test
    void sharedCertificateInPlace_isAdoptedWithItsAttachments_anAttachmentOnlyToTheCertificateThePlanKeeps() {
        DesiredBinding d = desired();
        DesiredBinding shared = d.with(new DesiredBinding.Upload("shop_api", "global", null, d.certificate(), null,
                d.material(), ResourceState.SHARED));
        ResourceState certificate = shared.asCertificateResource().recorded().bound("cert-1", "shop_api", null);
        ResourceState attachment = shared.recorded().bound("cert-1", null, null);

        Plan lost = Planner.plan(List.of(shared), stateWith(), java.util.Map.of(), false,
                java.util.Map.of("shop", certificate, ADDRESS, attachment));
        assertEquals(List.of(Action.ADOPT, Action.ADOPT), lost.changes().stream().map(ResourceChange::action).toList());
        assertEquals(0, lost.toAdd());
        assertEquals(2, lost.toAdopt());

        // no certificate in place: the plan creates one, and no attachment is adopted onto another
        Plan none = Planner.plan(List.of(shared), stateWith(), java.util.Map.of(), false,
                java.util.Map.of(ADDRESS, attachment));
        assertEquals(List.of(Action.CREATE, Action.CREATE), none.changes().stream().map(ResourceChange::action)
                .toList());

        // the certificate recorded: an unrecorded attachment to it is adopted, one to another certificate is not
        State recordedCertificate = stateWith(certificate);
        assertEquals(Action.ADOPT, Planner.plan(List.of(shared), recordedCertificate, java.util.Map.of(), false,
                java.util.Map.of(ADDRESS, attachment)).changes().get(1).action());
        assertEquals(Action.CREATE, Planner.plan(List.of(shared), recordedCertificate, java.util.Map.of(), false,
                java.util.Map.of(ADDRESS, shared.recorded().bound("cert-other", null, null))).changes().get(1)
                .action());
    }

    @Test
    void sharedCertificateChangedOutside_keepsCertformsRecord_andIsUpdatedBack() {
        DesiredBinding d = desired();
        DesiredBinding shared = d.with(new DesiredBinding.Upload("shop_api", "global", null, d.certificate(), null,
                d.material(), ResourceState.SHARED));
        ResourceState made = shared.asCertificateResource().recorded().bound("cert-1", "shop_api", null);
        ResourceState attachment = shared.recorded().bound("cert-1", null, null);
        Drift changed = new Drift("shop", Drift.Kind.CHANGED, made, made, List.of("serial 5a01 -> 77"));
        Plan plan = Planner.plan(List.of(shared), stateWith(made, attachment), java.util.Map.of("shop", changed));
        ResourceChange certificate = plan.changes().stream().filter(c -> c.address().equals("shop")).findFirst()
                .orElseThrow();
        assertEquals(Action.UPDATE, certificate.action());
        assertEquals(Set.of(Reason.CHANGED_OUTSIDE), certificate.reasons());
        assertEquals("cert-1", certificate.before().sslId());
    }

    @Test
    void removal_ofABindingWhoseDomainNowCarriesAnotherTeamsCertificate_onlyForgetsIt() {
        ResourceState theirs = new ResourceState(ADDRESS, "shop", "inst", "grp", "dom", "api.example.com",
                "ssl-theirs", "their_cert", "global", null, "RSA", null, null, null, "77", NOT_AFTER.toString(),
                "Their CA");
        Drift foreign = new Drift(ADDRESS, Drift.Kind.CHANGED, recorded(), theirs, List.of("name their_cert"), true);
        for (boolean destroy : new boolean[] {true, false}) {
            Plan plan = Planner.plan(List.of(), stateWith(recorded()), java.util.Map.of(ADDRESS, foreign), destroy);
            ResourceChange change = plan.changes().get(0);
            assertEquals(Action.DELETE, change.action());
            assertEquals(Set.of(Reason.FOREIGN_LEFT_ALONE), change.reasons());
            assertTrue(change.forgetsOnly(), "nothing may be sent: the certificate there is not certform's");
            assertEquals("ssl-1", change.before().sslId());
        }
        // the same drift while the binding stays declared: bound again, certform's record kept as before
        Plan kept = Planner.plan(List.of(desired()), stateWith(recorded()), java.util.Map.of(ADDRESS, foreign));
        assertEquals(Action.UPDATE, kept.changes().get(0).action());
        assertEquals(Set.of(Reason.CHANGED_OUTSIDE), kept.changes().get(0).reasons());
    }

    @Test
    void bindingGoneFromManifest_isDeleted() {
        Plan plan = Planner.plan(List.of(), stateWith(recorded()));
        ResourceChange change = plan.changes().get(0);
        assertEquals(Action.DELETE, change.action());
        assertEquals(Set.of(Reason.REMOVED_FROM_MANIFEST), change.reasons());
        assertNull(change.after());
        assertSame(1L, plan.toDestroy());
    }

    @Test
    void noChanges_whenManifestMatchesState() {
        Plan plan = Planner.plan(List.of(desired()), stateWith(recorded()));
        assertFalse(plan.hasChanges());
        assertEquals(0, plan.toAdd() + plan.toChange() + plan.toDestroy());
    }

    @Test
    void plan_carriesPriorLineageAndSerial_andSortsByAddress() {
        DesiredBinding b = new DesiredBinding("alpha[a.example.com]", "alpha",
                new DesiredBinding.Domain("inst", "grp", "d0", "a.example.com"),
                desired().upload().named("alpha_cert"), desired().range());
        Plan plan = Planner.plan(List.of(desired(), b), stateWith());
        assertEquals("lineage-1", plan.lineage());
        assertEquals(7, plan.serial());
        assertEquals(List.of("alpha[a.example.com]", ADDRESS), plan.changes().stream().map(ResourceChange::address).toList());
    }

    @Test
    void replace_countsAsOneAddAndOneDestroy_inTheSummary() {
        Plan plan = Planner.plan(List.of(desired().withDomainId("elsewhere")), stateWith(recorded()));
        assertEquals(List.of("delete", "create"), plan.changes().get(0).action().wireActions());
        assertEquals(1, plan.toAdd());
        assertEquals(1, plan.toDestroy());
        assertEquals(0, plan.toChange());
    }

    @Test
    void renamedKey_onTheSameDomain_isAMove_andAHalfDoneMoveForgetsTheOldAddress() {
        DesiredBinding renamed = new DesiredBinding("shop2[api.example.com]", "shop2", desired().domain(),
                desired().upload(), desired().range());
        Plan plan = Planner.plan(List.of(renamed), stateWith(recorded()));
        assertEquals(1, plan.changes().size(), plan.changes().toString());
        ResourceChange move = plan.changes().get(0);
        assertEquals(Action.MOVE, move.action());
        assertEquals(ADDRESS, move.before().address());
        assertEquals(Set.of(Reason.MOVED), move.reasons());

        // a move interrupted after the new address was recorded: the old one names the same certificate
        ResourceState old = recorded();
        ResourceState moved = new ResourceState("shop2[api.example.com]", "shop2", old.instanceId(), old.groupId(),
                old.domainId(), old.urlDomain(), old.sslId(), old.sslName(), old.type(), null, old.algorithmType(),
                old.certSha256(), old.chainSha256(), null, old.serialNumber(), old.notAfter(), old.issuer());
        Plan rest = Planner.plan(List.of(renamed), stateWith(old, moved));
        ResourceChange forget = rest.changes().stream().filter(c -> c.address().equals(ADDRESS)).findFirst()
                .orElseThrow();
        assertEquals(Action.DELETE, forget.action());
        assertTrue(forget.forgetsOnly(), "the certificate is still in use under the new address: nothing is sent");
    }
}
