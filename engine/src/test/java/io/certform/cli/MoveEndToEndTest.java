package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A certificate key renamed in the manifest, and `state mv`: the state follows, nothing is sent. */
class MoveEndToEndTest {

    private static final SimulatedRollout ROLLOUT = new SimulatedRollout(3, i -> "grp0", false);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Move CA").issue("*.example.com");

    @TempDir
    Path dir;

    private Simulator simulator;

    @BeforeEach
    void start() throws Exception {
        simulator = ROLLOUT.start(SimulatorOptions.defaults());
        ROLLOUT.write(dir, simulator, CERT);
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private CliRun certform(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        return CliRun.run(all.toArray(String[]::new));
    }

    private State state() throws Exception {
        return ShopWorld.state(dir);
    }

    @Test
    void renamedCertificateKey_isPlannedAsAMove_andApplySendsNothing() throws Exception {
        String before = state().resource("site[d1.example.com]").orElseThrow().sslId();
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, Files.readString(manifest).replace("  site:\n", "  storefront:\n"));
        CliRun plan = certform("plan", "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("# storefront[d1.example.com] has moved from site[d1.example.com]"), plan.out());
        assertTrue(plan.out().contains("Plan: 0 to add, 0 to change, 0 to destroy, 3 to move."), plan.out());
        CliRun json = certform("plan", "--json");
        assertTrue(json.out().contains("\"previous_address\":\"site[d1.example.com]\""), json.out());

        long created = simulator.world().certificatesCreated();
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(created, simulator.world().certificatesCreated(), "nothing was sent");
        assertEquals(before, state().resource("storefront[d1.example.com]").orElseThrow().sslId());
        assertTrue(state().resource("site[d1.example.com]").isEmpty());
        assertEquals(0, certform("plan", "--detailed-exitcode").exitCode());
    }

    @Test
    void renamedCertificateKey_planShowsTheSslIdKept_notKnownAfterApply() throws Exception {
        String sslId = state().resource("site[d1.example.com]").orElseThrow().sslId();
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, Files.readString(manifest).replace("  site:\n", "  storefront:\n"));
        CliRun plan = certform("plan");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("ssl_id") && plan.out().contains("= \"" + sslId + "\"\n"), plan.out());
        assertFalse(plan.out().contains("(known after apply)"), plan.out());
        CliRun json = certform("plan", "--json");
        assertTrue(json.out().contains("\"after_unknown\":{\"ssl_id\":false"), json.out());
    }

    @Test
    void stateMv_renamesOneBinding_andRefusesWhatItCannotDo() throws Exception {
        String sslId = state().resource("site[d0.example.com]").orElseThrow().sslId();
        CliRun mv = certform("state", "mv", "site[d0.example.com]", "shop[d0.example.com]");
        assertEquals(0, mv.exitCode(), mv.toString());
        assertEquals(sslId, state().resource("shop[d0.example.com]").orElseThrow().sslId());
        assertEquals("shop", state().resource("shop[d0.example.com]").orElseThrow().certificate());

        CliRun missing = certform("state", "mv", "site[nope]", "shop[nope]");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no binding site[nope] in the state"), missing.err());
        CliRun taken = certform("state", "mv", "site[d1.example.com]", "shop[d0.example.com]");
        assertEquals(1, taken.exitCode());
        assertTrue(taken.err().contains("shop[d0.example.com] is already in the state"), taken.err());
        CliRun bad = certform("state", "mv", "site[d1.example.com]", "shop");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("'shop' is not a binding address"), bad.err());
        assertEquals(3, state().resources().size(), "the refusals changed nothing");
    }
}
