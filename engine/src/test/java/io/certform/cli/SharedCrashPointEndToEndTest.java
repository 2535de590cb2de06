package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shared model's calls killed at each journal and state step (a child JVM halted by CERTFORM_CRASH_AT), then a
 * plain {@code apply}: one certificate resource, every domain attached to it, nothing left deposed, and, for the
 * migrations, no domain ever without a certificate, across the killed run and the rerun.
 */
class SharedCrashPointEndToEndTest {

    static final int DOMAINS = 12;
    static final TestCertificates.Authority CA = TestCertificates.authority("Shared crash CA");
    static final TestCertificates.Issued CERT = CA.issue("*.shop.example.com");

    @TempDir
    Path dir;

    Simulator simulator() throws Exception {
        return ShopWorld.start(DOMAINS, 3, 13);
    }

    Path manifest(Simulator simulator, String mode) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(5).mode(mode).write(dir, CERT);
    }

    static CliRun rerun(Path manifest) {
        return CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "2s");
    }

    State state() throws Exception {
        return ShopWorld.state(dir);
    }

    void assertSharedConverged(Simulator simulator, Path manifest, CliRun rerun) throws Exception {
        State state = state();
        assertTrue(state.resources().stream().noneMatch(ResourceState::deposed),
                state.resources().stream().map(ResourceState::address).toList() + "\n" + rerun);
        List<ResourceState> certificates = state.resources().stream().filter(ResourceState::certificateResource)
                .toList();
        assertEquals(1, certificates.size(), state.resources().stream().map(ResourceState::address).toList()
                + "\n" + rerun);
        String id = certificates.get(0).sslId();
        assertEquals(DOMAINS + 1, state.resources().size());
        for (World.DomainView d : simulator.world().domains()) {
            assertEquals(List.of(id), d.attachedIds(), d.urlDomain() + ": attached to the recorded certificate");
            assertEquals(id, d.sslId(), d.urlDomain() + ": no certificate of its own left");
        }
        assertEquals(1, simulator.world().managedCertificatesCreated(), "the certificate was created once");
        CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
        assertEquals(0, plan.exitCode(), plan.toString());
        assertFalse(Files.exists(dir.resolve("certform.state.json.journal")), "the journal is settled");
    }

    @ParameterizedTest(name = "shared create, killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-send:1", "after-done:1", "after-intent:3", "after-send:2",
            "after-done:4", "after-intent:9", "after-send:3", "after-state-write:1"})
    void sharedCreate_killedAtEveryStep_thenPlainApply_converges(String crashAt) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, "shared");
            CliRun.killedApply(manifest, crashAt);
            CliRun rerun = rerun(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertSharedConverged(simulator, manifest, rerun);
        }
    }

    @ParameterizedTest(name = "per-domain to shared, killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-send:1", "after-done:2", "after-done:3", "after-send:2",
            "after-done:9", "after-send:4", "after-intent:20", "after-done:30", "after-state-write:1"})
    void migrationToShared_killedAnywhere_neverLeavesADomainBare_andConverges(String crashAt) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, "per-domain");
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, "shared");
            CliRun.killedApply(manifest, crashAt);
            CliRun rerun = rerun(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            assertSharedConverged(simulator, manifest, rerun);
        }
    }

    @ParameterizedTest(name = "shared to per-domain, killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-done:2", "after-send:1", "after-send:4", "after-intent:16",
            "after-send:13", "after-done:30", "after-send:16", "after-state-write:1"})
    void migrationToPerDomain_killedAnywhere_neverLeavesADomainBare_andConverges(String crashAt) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, "shared");
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, "per-domain");
            CliRun.killedApply(manifest, crashAt);
            CliRun rerun = rerun(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            State state = state();
            assertTrue(state.resources().stream().noneMatch(ResourceState::shared),
                    state.resources().stream().map(ResourceState::address).toList() + "\n" + rerun);
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(), d.attachedIds(), d.urlDomain() + ": detached");
                assertTrue(d.sslId() != null, d.urlDomain() + ": carries its own certificate");
            }
            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
        }
    }
}
