package io.certform.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.api.GatewayClient;
import io.certform.api.Transport;
import io.certform.apply.Applier;
import io.certform.apply.ApplyListener;
import io.certform.apply.ApplyResult;
import io.certform.apply.Backoff;
import io.certform.apply.FleetApplier;
import io.certform.manifest.Provider;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
import io.certform.plan.ResourceChange;
import io.certform.provider.ProviderSession;
import io.certform.simulator.Faults;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.State;
import io.certform.testing.GatewayFleet;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet applied side by side: each provider on its own pool, so one throttling provider slows only itself and one
 * whose credentials are refused stops only its own bindings (named as not attempted); a rerun converges.
 */
class FleetApplyTest {

    private static final int DOMAINS = 12;
    private static final Applier.Settings SETTINGS = new Applier.Settings(4,
            new Backoff(12, Duration.ofMillis(5), Duration.ofMillis(50)), null, Duration.ofSeconds(5));
    private static final ApplyListener QUIET = new ApplyListener() {
        public void started(ResourceChange c) { }

        public void completed(ResourceChange c, String s, Duration d, String n) { }

        public void failed(ResourceChange c, ApiException e) { }

        public void skipped(ResourceChange c, String w) { }

        public void unknown(ResourceChange c, String w) { }
    };

    @TempDir
    Path dir;

    private static GatewayFleet fleet() throws Exception {
        return GatewayFleet.builder()
                .provider("calm", p -> p.domains(DOMAINS))
                .provider("busy", p -> p.domains(DOMAINS).options(SimulatorOptions.defaults()
                        .withFaults(Faults.none().withRates(0, 0.25, 0, 0))))
                .provider("locked", p -> p.domains(DOMAINS))
                .start();
    }

    private Workspace workspace(GatewayFleet fleet) throws Exception {
        Path manifest = fleet.write(dir, fleet.certificate());
        Map<String, String> env = fleet.env();
        Workspace workspace = Workspace.load(manifest, "certform.yaml", null, env::get, Clock.systemUTC(), "test");
        assertTrue(workspace.ok(), workspace.diagnostics().all().toString());
        return workspace;
    }

    private static Map<String, ProviderSession> sessions(Workspace workspace, Map<String, String> env) {
        Map<String, ProviderSession> sessions = new LinkedHashMap<>();
        for (Provider p : workspace.manifest().providers()) {
            Transport transport = new Transport("certform/test", 8, GatewayClient.Timeouts.DEFAULT, null, null);
            sessions.put(p.name(), new ProviderSession(workspace.manifest(), p, workspace.desired().stream()
                    .filter(d -> d.provider().equals(p.name())).toList(), null, env::get, transport,
                    Clock.systemUTC()));
        }
        return sessions;
    }

    private static ApplyResult apply(Workspace workspace, Map<String, String> env) throws Exception {
        State prior = workspace.stateStore().read();
        Plan plan = Planner.plan(workspace.desired(), prior);
        FleetApplier applier = Operations.fleetApplier(workspace, sessions(workspace, env), SETTINGS,
                Clock.systemUTC(), QUIET);
        return applier.apply(plan, prior);
    }

    private static long recorded(State state, String provider) {
        return state.resources().stream().filter(r -> r.provider().equals(provider)).count();
    }

    @Test
    void throttledProviderCompletes_lockedProviderStopsAlone_andARerunConverges() throws Exception {
        try (GatewayFleet fleet = fleet()) {
            Workspace workspace = workspace(fleet);
            fleet.simulator("locked").failAuthenticationUntilRestored();

            ApplyResult first = apply(workspace, fleet.env());

            assertEquals(List.of("calm", "busy", "locked"), List.copyOf(first.providers().keySet()));
            ApplyResult calm = first.providers().get("calm");
            ApplyResult busy = first.providers().get("busy");
            ApplyResult locked = first.providers().get("locked");
            assertTrue(calm.ok(), calm.failures() + " " + calm.skipped());
            assertEquals(DOMAINS, calm.added());
            assertTrue(busy.ok(), "the throttled provider completes: " + busy.failures() + " " + busy.skipped());
            assertEquals(DOMAINS, busy.added());
            assertTrue(busy.stats().throttles() > 0, "busy was throttled");
            assertEquals(0, calm.stats().throttles(), "calm never was: its pool is its own");
            assertEquals(0, locked.added());
            assertFalse(locked.skipped().isEmpty(), "the locked provider's bindings are not attempted");
            assertEquals(DOMAINS, locked.skipped().size() + locked.failures().size());
            assertTrue(locked.skipped().stream().allMatch(a -> a.startsWith("provider.locked.")), locked.skipped()
                    .toString());
            assertTrue(locked.failures().stream().allMatch(f -> f.error().status() == 401), locked.failures()
                    .toString());
            assertEquals(2 * DOMAINS, first.added(), "the fleet's total");
            assertEquals(DOMAINS, recorded(first.state(), "calm"));
            assertEquals(DOMAINS, recorded(first.state(), "busy"));
            assertEquals(0, recorded(first.state(), "locked"));
            assertEquals(first.state(), workspace.stateStore().read(), "one state, written once");

            fleet.simulator("locked").restoreAuthentication();
            ApplyResult rerun = apply(workspace, fleet.env());
            assertTrue(rerun.ok(), rerun.failures() + " " + rerun.skipped());
            assertEquals(DOMAINS, rerun.added(), "only the locked provider's bindings are left");
            assertEquals(List.of("locked"), List.copyOf(rerun.providers().keySet()));
            State state = workspace.stateStore().read();
            for (String p : List.of("calm", "busy", "locked")) {
                assertEquals(DOMAINS, recorded(state, p), p);
            }
            assertTrue(Planner.plan(workspace.desired(), state).changes().stream()
                    .noneMatch(c -> c.action().changes()), "converged: nothing left to do");
        }
    }

    /** The same domains (names and ids) on two gateways: {@code old} and {@code new}, the latter refusing at first. */
    private static GatewayFleet twoGatewaysOfOneDomainSet() throws Exception {
        return GatewayFleet.builder()
                .provider("old", p -> p.domains(4).names(i -> "d" + i + ".shared.example.com"))
                .provider("new", p -> p.domains(4).names(i -> "d" + i + ".shared.example.com"))
                .start();
    }

    /** The workspace's bindings of {@code from}, moved to {@code to}: same key and domain, another provider. */
    private static List<io.certform.plan.DesiredBinding> moved(Workspace workspace, String from, String to) {
        return workspace.desired().stream().map(d -> !d.provider().equals(from) ? d
                : new io.certform.plan.DesiredBinding(Provider.addressPrefix(to) + d.address().substring(
                        Provider.addressPrefix(from).length()), d.certificateKey(), d.domain(), d.upload(), d.range(),
                        to)).toList();
    }

    @Test
    void aMovesDelete_waitsForItsCreate_aFailedCreateKeepsTheOldBinding_andARerunMovesIt() throws Exception {
        try (GatewayFleet fleet = twoGatewaysOfOneDomainSet()) {
            Workspace workspace = workspace(fleet);
            // first only old's bindings
            Workspace onOld = new Workspace(workspace.manifest(), workspace.desired().stream()
                    .filter(d -> d.provider().equals("old")).toList(), workspace.certificates(), workspace.stateStore(),
                    workspace.diagnostics(), workspace.patterns(), workspace.expiryHolds());
            assertTrue(apply(onOld, fleet.env()).ok());
            assertEquals(4, recorded(workspace.stateStore().read(), "old"));

            Workspace movedWs = new Workspace(workspace.manifest(), moved(onOld, "old", "new"), workspace.certificates(),
                    workspace.stateStore(), workspace.diagnostics(), workspace.patterns(), workspace.expiryHolds());
            Plan plan = Planner.plan(movedWs.desired(), movedWs.stateStore().read());
            assertEquals(4, io.certform.plan.Moves.of(plan).size(), plan.changes().toString());

            fleet.simulator("new").failAuthenticationUntilRestored();
            ApplyResult refused = apply(movedWs, fleet.env());
            assertFalse(refused.ok());
            assertEquals(0, refused.destroyed(), "no delete before its create succeeded");
            ApplyResult old = refused.providers().get("old");
            assertEquals(4, old.skipped().size(), "old's deletes are not attempted: " + old.skipped());
            State kept = workspace.stateStore().read();
            assertEquals(4, recorded(kept, "old"), "the old bindings stay recorded");
            assertEquals(0, recorded(kept, "new"));
            assertTrue(fleet.world("old").domains().stream().noneMatch(io.certform.simulator.World.DomainView::bare),
                    "and in place at the old gateway");

            fleet.simulator("new").restoreAuthentication();
            ApplyResult rerun = apply(movedWs, fleet.env());
            assertTrue(rerun.ok(), rerun.failures() + " " + rerun.skipped());
            assertEquals(4, rerun.added());
            assertEquals(4, rerun.destroyed());
            State state = workspace.stateStore().read();
            assertEquals(0, recorded(state, "old"));
            assertTrue(fleet.world("old").domains().stream().allMatch(io.certform.simulator.World.DomainView::bare),
                    "unbound at the old gateway once bound at the new");
            assertEquals(4, recorded(state, "new"));
        }
    }
}
