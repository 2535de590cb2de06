package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Only the client CA ({@code trusted_root_ca}) of a binding changes, and the answer to the bind that replaces the
 * certificate is lost before the bind reached the gateway. The domain still carries the certificate being replaced:
 * same name, serial, expiry, type, and client-certificate checks on, so it looks exactly like the new one. It must
 * never be taken for the new one: the outcome stays unknown, the next run settles it and binds the new client CA,
 * and only then does a plan say "No changes".
 */
class ClientCaChangeLostAnswerTest {

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Server CA").issue("*.example.com");

    @TempDir
    Path dir;

    private ResourceState recorded() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read().resources().get(0);
    }

    private World.DomainView domain(Simulator simulator) {
        return simulator.world().domains().get(0);
    }

    @Test
    void lostAnswerToTheBindOfANewClientCa_neverAdoptsTheCertificateItReplaces() throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults())) {
            Path clientCa = dir.resolve("client-ca.pem");
            Files.writeString(clientCa, TestCertificates.authority("Old Client CA").certificatePem());
            Path manifest = ONE.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1", CERT,
                    "    trusted_root_ca: ${file:client-ca.pem}\n");
            String f = manifest.toString();
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, first.exitCode(), first.toString());
            String oldSslId = domain(simulator).sslId();
            String oldCaHash = recorded().trustedRootCaSha256();

            Files.writeString(clientCa, TestCertificates.authority("New Client CA").certificatePem());
            simulator.loseWrites(1); // the bind of the new client CA never reaches the gateway; its answer is lost
            CliRun lossy = CliRun.run("apply", "--auto-approve", "-f", f, "--settle-window", "1s");
            assertEquals(oldSslId, domain(simulator).sslId(), "the lost bind did not land\n" + lossy);
            assertEquals(1, lossy.exitCode(), "the certificate the bind replaces was taken for the new one: the"
                    + " domain still trusts the old client CA, yet the apply succeeded\n" + lossy);
            assertTrue(lossy.all().contains("outcome unknown"), lossy.toString());
            assertEquals(oldSslId, recorded().sslId(), "the state still records the certificate bound before");

            CliRun pending = CliRun.run("plan", "--detailed-exitcode", "-f", f);
            assertEquals(2, pending.exitCode(), "the domain still trusts the old client CA: a plan must not say"
                    + " \"No changes\"\n" + pending);
            assertFalse(pending.out().contains("No changes."), pending.toString());

            CliRun settle = CliRun.run("apply", "--auto-approve", "-f", f, "--settle-window", "1s");
            assertEquals(0, settle.exitCode(), settle.toString());
            World.DomainView after = domain(simulator);
            assertNotEquals(oldSslId, after.sslId(), "the new client CA was bound\n" + settle);
            assertEquals(2, simulator.world().certificatesCreated(), "the first bind and the one after recovery\n"
                    + settle);
            ResourceState now = recorded();
            assertEquals(after.sslId(), now.sslId(), "the state records what the domain carries");
            assertNotEquals(oldCaHash, now.trustedRootCaSha256(), "the state records the new client CA");

            CliRun settled = CliRun.run("plan", "--detailed-exitcode", "-f", f);
            assertEquals(0, settled.exitCode(), settled.toString());
            assertTrue(settled.out().contains("No changes."), settled.toString());
        }
    }

    @Test
    void runKilledBeforeTheBindOfANewClientCaLeft_recoveryDoesNotAdoptTheCertificateItReplaces() throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults())) {
            Path clientCa = dir.resolve("client-ca.pem");
            Files.writeString(clientCa, TestCertificates.authority("Old Client CA").certificatePem());
            Path manifest = ONE.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1", CERT,
                    "    trusted_root_ca: ${file:client-ca.pem}\n");
            String f = manifest.toString();
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", f);
            assertEquals(0, first.exitCode(), first.toString());
            String oldSslId = domain(simulator).sslId();

            Files.writeString(clientCa, TestCertificates.authority("New Client CA").certificatePem());
            // the bind is journalled, then the run dies before it is sent: the domain keeps the old certificate
            CliRun killed = CliRun.crashed("after-intent:1", "apply", "--auto-approve", "-f", f);
            assertEquals(137, killed.exitCode(), killed.toString());
            assertTrue(Files.exists(dir.resolve("certform.state.json.journal")), "the bind's intent is open");
            assertEquals(oldSslId, domain(simulator).sslId());

            // recovery settles the open bind: the domain carries only the certificate it was to replace, so the bind
            // did not land; the apply then binds the new client CA
            CliRun next = CliRun.run("apply", "--auto-approve", "-f", f, "--settle-window", "1s");
            assertEquals(0, next.exitCode(), next.toString());
            World.DomainView after = domain(simulator);
            assertNotEquals(oldSslId, after.sslId(), "recovery took the certificate the bind replaces for the new"
                    + " one, so the new client CA was never bound\n" + next);
            assertEquals(2, simulator.world().certificatesCreated(), next.toString());
            assertEquals(after.sslId(), recorded().sslId(), "the state records what the domain carries");

            CliRun settled = CliRun.run("plan", "--detailed-exitcode", "-f", f);
            assertEquals(0, settled.exitCode(), settled.toString());
            assertTrue(settled.out().contains("No changes."), settled.toString());
        }
    }
}
