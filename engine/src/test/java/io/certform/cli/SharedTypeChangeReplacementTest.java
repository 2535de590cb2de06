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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A shared certificate replaced because its type changed, global -> instance (guarantees 1 and 2), which forces a
 * new certificate resource (create-before-destroy under a second name, then a rename), plainly and killed at the
 * journal points: no domain is ever left without a certificate, and the rerun converges on one certificate under
 * the declared name.
 */
class SharedTypeChangeReplacementTest {

    static final int DOMAINS = 8;
    static final TestCertificates.Authority CA = TestCertificates.authority("Replacement test CA");
    static final TestCertificates.Issued CERT = CA.issue("*.shop.example.com");

    @TempDir
    Path dir;

    Simulator simulator() throws Exception {
        return ShopWorld.start(DOMAINS, 3, 5);
    }

    Path manifest(Simulator simulator, String type) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(3).mode("shared").type(type).write(dir, CERT);
    }

    State state() throws Exception {
        return ShopWorld.state(dir);
    }

    

    void assertConverged(Simulator simulator, Path manifest, String run) throws Exception {
        State state = state();
        List<String> addresses = state.resources().stream().map(ResourceState::address).sorted().toList();
        assertTrue(state.resources().stream().noneMatch(ResourceState::deposed), addresses + "\n" + run);
        List<ResourceState> certificates = state.resources().stream().filter(ResourceState::certificateResource)
                .toList();
        assertEquals(1, certificates.size(), addresses + "\n" + run);
        ResourceState certificate = certificates.get(0);
        assertEquals("instance", certificate.type(), run);
        assertEquals("wild_cert", certificate.sslName(), "the replacement ends under the declared name\n" + run);
        assertEquals(1, simulator.world().managedCertificateCount(), "the old certificate was deleted\n" + run);
        for (World.DomainView d : simulator.world().domains()) {
            assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain() + "\n" + run);
        }
        CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
        assertEquals(0, plan.exitCode(), plan.toString());
    }

    @Test
    void typeChange_globalToInstance_replacesTheCertificate_noDomainBare() throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, "global");
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, "instance");
            CliRun replace = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, replace.exitCode(), replace.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            assertConverged(simulator, manifest, replace.toString());
        }
    }

    @ParameterizedTest(name = "type change global -> instance, killed at {0}")
    @ValueSource(strings = {"after-intent:1", "after-send:1", "after-done:1", "after-send:2", "after-done:5",
            "after-send:4", "after-intent:12", "after-send:6", "after-state-write:1"})
    void typeChange_killedAnywhere_thenPlainApply_converges_noDomainBare(String crashAt) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, "global");
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, "instance");
            CliRun.killedApply(manifest, crashAt);
            CliRun rerun = SharedCrashPointEndToEndTest.rerun(manifest);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            assertConverged(simulator, manifest, rerun.toString());
            assertFalse(Files.exists(dir.resolve("certform.state.json.journal")), "the journal is settled");
        }
    }
}
