package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.CrashPoint;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testing.GatewayFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A fleet's apply killed while two providers apply side by side (a child JVM halted by CERTFORM_CRASH_AT at a journal
 * or state step), then a plain {@code apply}: every binding is recorded once, at its own provider's gateway, each
 * domain carries exactly one certificate, the one the state records, and a plan shows no changes.
 */
class FleetCrashPointTest {

    private static final int PER_PROVIDER = 8;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "fleet create, killed at {0}")
    @ValueSource(strings = {"after-intent:5", "after-send:5", "after-done:5", "after-done:11", "mid-compaction:1",
            "mid-state-write:1", "after-state-write:1"})
    void fleetApply_killedMidway_thenPlainApply_recordsEachBindingOnceAtItsOwnGateway(String crashAt)
            throws Exception {
        try (GatewayFleet fleet = GatewayFleet.builder()
                .provider("east", p -> p.domains(PER_PROVIDER))
                .provider("west", p -> p.domains(PER_PROVIDER))
                .start()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            CliRun killed = CliRun.crashed(crashAt, fleet.env(), "apply", "--auto-approve", "-f", manifest.toString(),
                    "--parallelism", "3");
            assertEquals(CrashPoint.STATUS, killed.exitCode(), "the crash point " + crashAt + " was reached:\n" + killed);

            CliRun rerun = CliRun.runner().env(fleet.env())
                    .run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "2s");
            assertEquals(0, rerun.exitCode(), rerun.toString());

            State state = ShopWorld.state(dir);
            assertEquals(2 * PER_PROVIDER, state.resources().size(), "every binding recorded once");
            for (String provider : List.of("east", "west")) {
                World world = fleet.world(provider);
                Map<String, World.DomainView> remote = new HashMap<>();
                world.domains().forEach(d -> remote.put(d.domainId(), d));
                List<ResourceState> own = state.resources().stream()
                        .filter(r -> r.provider().equals(provider)).toList();
                assertEquals(PER_PROVIDER, own.size(), provider + ": its bindings, once each");
                for (ResourceState r : own) {
                    assertTrue(r.address().startsWith("provider." + provider + "."), r.address());
                    World.DomainView d = remote.get(r.domainId());
                    assertEquals(d.sslId(), r.sslId(), r.address() + ": recorded what its own gateway's domain carries");
                }
                for (World.DomainView d : world.domains()) {
                    assertEquals(1, d.certificatesBound(), provider + " " + d.domainId() + ": bound once");
                }
                assertEquals(PER_PROVIDER, world.certificatesCreated(), provider + ": no duplicate upload");
            }
            CliRun plan = CliRun.runner().env(fleet.env())
                    .run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertFalse(Files.exists(dir.resolve("certform.state.json.journal")), "the journal is settled");
        }
    }
}
