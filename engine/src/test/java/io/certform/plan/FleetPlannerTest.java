package io.certform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.cert.CertificateInfo;
import io.certform.base.SourceRange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A fleet's plan: moves between providers, and targets naming a provider. */
class FleetPlannerTest {

    private static final Instant NOT_AFTER = Instant.parse("2031-08-16T06:36:13Z");

    private static DesiredBinding desired(String provider, String domain) {
        CertificateInfo info = new CertificateInfo("leaf-sha", "chain-sha", "5a01", NOT_AFTER.minusSeconds(86400 * 365),
                NOT_AFTER, "RSA", "RSA 2048", domain, List.of(domain), "Test CA", "SHA256WITHRSA");
        return new DesiredBinding(io.certform.manifest.Provider.addressPrefix(provider) + "shop[" + domain + "]",
                "shop", new DesiredBinding.Domain("inst", "grp", "dom-" + domain, domain),
                new DesiredBinding.Upload("shop_api", "global", null, info, null,
                        new CertificateMaterial("pem", new Secret("key", "env K", null), null)),
                new SourceRange("certform.yaml", 12, 9), provider);
    }

    private static ResourceState recorded(String provider, String domain) {
        return new ResourceState(io.certform.manifest.Provider.addressPrefix(provider) + "shop[" + domain + "]",
                "shop", "inst", "grp", "dom-" + domain, domain, "ssl-1", "shop_api", "global", null, "RSA",
                "leaf-sha", "chain-sha", null, "5a01", NOT_AFTER.toString(), "Test CA");
    }

    private static State stateWith(ResourceState... resources) {
        return new State(State.FORMAT_VERSION, "test", "lineage-1", 7, List.of(resources));
    }

    private static ResourceChange change(Plan plan, String key) {
        return plan.changes().stream().filter(c -> c.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aBindingWhoseProviderChanged_isACreateOnTheNewAndADeleteOfTheOld_theDeleteWaitingForTheCreate() {
        Plan plan = Planner.plan(List.of(desired("eu", "api.example.com"), desired("default", "b.example.com")),
                stateWith(recorded("default", "api.example.com"), recorded("default", "b.example.com")), Map.of());

        ResourceChange create = change(plan, "provider.eu.shop[api.example.com]");
        ResourceChange delete = change(plan, "shop[api.example.com]");
        assertEquals(Action.CREATE, create.action());
        assertEquals(Set.of(Reason.PROVIDER_MOVED), create.reasons());
        assertEquals("eu", create.provider());
        assertEquals(Action.DELETE, delete.action());
        assertEquals(Set.of(Reason.PROVIDER_MOVED), delete.reasons());
        assertFalse(delete.forgetsOnly(), "the old gateway's binding is removed, not only forgotten");
        assertEquals("default", delete.provider());
        assertEquals(Action.NO_OP, change(plan, "shop[b.example.com]").action());

        assertEquals(List.of(new Moves("provider.eu.shop[api.example.com]", "shop[api.example.com]", "default", "eu")),
                Moves.of(plan));
        assertEquals("moved from provider.default to provider.eu", Moves.of(plan).get(0).describe());
        assertTrue(Moves.waitingDelete(plan, "shop[api.example.com]").isPresent());
        assertTrue(Moves.waitingDelete(plan, "provider.eu.shop[api.example.com]").isEmpty(), "the create waits for"
                + " nothing");
        // the pairing survives a copy of the plan (targets, a saved plan): it is read from the changes
        assertEquals(Moves.of(plan), Moves.of(plan.with(plan.changes())));
    }

    @Test
    void anotherDomainUnderTheNewProvider_isNoMove() {
        Plan plan = Planner.plan(List.of(desired("eu", "c.example.com")),
                stateWith(recorded("default", "api.example.com")), Map.of());
        assertEquals(Set.of(Reason.NOT_IN_STATE), change(plan, "provider.eu.shop[c.example.com]").reasons());
        assertEquals(Set.of(Reason.REMOVED_FROM_MANIFEST), change(plan, "shop[api.example.com]").reasons());
        assertTrue(Moves.of(plan).isEmpty());
    }

    @Test
    void theSameDomainUnderTwoProviders_isTwoBindings() {
        Plan plan = Planner.plan(List.of(desired("eu", "api.example.com"), desired("us", "api.example.com")),
                stateWith(), Map.of());
        assertEquals(2, plan.toAdd());
        assertTrue(Moves.of(plan).isEmpty());
    }

    @Test
    void targets_selectAProvider_itsKey_itsBinding_andTheDefaultProvider() {
        List<String> addresses = List.of("shop[a.example.com]", "shop", "provider.eu.shop[a.example.com]",
                "provider.eu.shop", "provider.eu.other[b.example.com]", "provider.europe.shop[a.example.com]");
        assertEquals(List.of("provider.eu.shop[a.example.com]", "provider.eu.shop", "provider.eu.other[b.example.com]"),
                selected(new Targets(List.of("provider.eu"), List.of()), addresses));
        assertEquals(List.of("provider.eu.shop[a.example.com]", "provider.eu.shop"),
                selected(new Targets(List.of("provider.eu.shop"), List.of()), addresses));
        assertEquals(List.of("provider.eu.shop[a.example.com]"),
                selected(new Targets(List.of("provider.eu.shop[a.example.com]"), List.of()), addresses));
        assertEquals(List.of("shop[a.example.com]", "shop"),
                selected(new Targets(List.of("provider.default"), List.of()), addresses));
        assertEquals(List.of("shop[a.example.com]"),
                selected(new Targets(List.of("provider.default.shop[a.example.com]"), List.of()), addresses));
        assertEquals(List.of("shop[a.example.com]", "shop", "provider.europe.shop[a.example.com]"),
                selected(new Targets(List.of(), List.of("provider.eu")), addresses));
        assertEquals(List.of(), new Targets(List.of("provider.eu", "provider.eu.shop[x.example.com]",
                "provider.default"), List.of("provider.eu.shop")).invalid());
        assertEquals(List.of("provider.EU", "provider.", "provider.eu.", "provider.eu.a.b"),
                new Targets(List.of("provider.EU", "provider.", "provider.eu.", "provider.eu.a.b"), List.of()).invalid());
    }

    private static List<String> selected(Targets targets, List<String> addresses) {
        return addresses.stream().filter(targets::selects).toList();
    }
}
