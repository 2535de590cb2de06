package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cert.CertificateLoader;
import io.certform.cli.CliRun;
import io.certform.cli.ShopWorld;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.OnExisting;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.ResourceState;
import io.certform.state.local.LocalStateStore;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write whose answer was lost, or that a crash kept from leaving, is never taken for done because a look finds
 * something that merely resembles its effect: the certificate a rebind replaced (the domain refused a second one,
 * so it was removed first, and reads lag), or a shared certificate whose in-place update changes only what a look
 * cannot see (the trusted root CA). Each was seen failing before its fix.
 */
class LostWriteNeverTakenForDoneTest {

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Authority SERVER_CA = TestCertificates.authority("Review Server CA");
    private static final TestCertificates.Issued CERT = SERVER_CA.issue("*.example.com");
    private static final TestCertificates.Issued SHOP = SERVER_CA.issue("*.shop.example.com");

    @TempDir
    Path dir;

    /**
     * Claim: a bind's look never matches the old ssl_id it replaces. The trusted root CA changes, the leaf stays
     * (so the old and the new certificate are the same by the identity rule); the domain refuses a second
     * certificate (APIG.3400), so the old one is removed and the bind sent again. That second bind is lost (never
     * carried out), and reads lag, so the domain still shows the old certificate: the look must not take it for
     * the new one. The domain is bare; the state must not say it carries the removed certificate.
     */
    @Test
    void bindAfterConflictRemoval_lostAnswer_neverAdoptsTheRemovedCertificate() throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults().withOnExisting(OnExisting.CONFLICT)
                .withFaults(Faults.none().withReadLag(Duration.ofSeconds(2))))) {
            Path manifest = boundThenClientCaRenewed(simulator);
            String removed = removed(simulator);
            AtomicBoolean armed = new AtomicBoolean(true);
            simulator.world().onCommit(view -> {
                if (view.bare() && armed.getAndSet(false)) {
                    simulator.loseWrites(1); // the bind that follows the removal is lost, never carried out
                }
            });
            CliRun rebind = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window",
                    "4s");
            simulator.world().onCommit(null);

            String carried = simulator.world().domains().get(0).sslId();
            ResourceState recorded = binding();
            String recordedSslId = recorded == null ? null : recorded.sslId();
            assertNotEquals(removed, recordedSslId, "the state records the removed certificate " + removed
                    + " as the new binding while the domain carries " + carried + "\n" + rebind);
        }
    }

    /**
     * Claim: each call's look finds exactly its own effect. A shared certificate's trusted root CA changes (the leaf
     * stays, so the certificate before and after the update are the same by the identity rule) and the update is
     * lost, never carried out. Its look must not find "the effect shows" (the gateway would still check clients
     * against the old CA while the state records the new one, and no later plan could see the difference): the
     * update is sent again instead, and recorded when it has landed.
     */
    @Test
    void sharedCertificateUpdate_lostAnswer_isSentAgainNotTakenForDone_whenOnlyTheClientCaChanges() throws Exception {
        try (Simulator simulator = ShopWorld.start(3, 1, 17)) {
            Path clientCa = dir.resolve("client-ca.pem");
            Files.writeString(clientCa, TestCertificates.authority("Review Shared Client CA").certificatePem());
            Path manifest = ShopWorld.manifest(simulator).mode("shared")
                    .certificate("trusted_root_ca: ${file:client-ca.pem}").write(dir, SHOP);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            String oldCa = ShopWorld.certificate(dir).trustedRootCaSha256();

            String renewed = TestCertificates.authority("Renewed Review Shared Client CA").certificatePem();
            Files.writeString(clientCa, renewed);
            simulator.loseWrites(1); // the update in place is lost, never carried out
            CliRun update = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "2s");
            // a look cannot tell this update from the certificate it replaces: it is sent again (a PUT of the whole
            // certificate is idempotent) rather than looked for, and recorded once an answer says it landed
            assertEquals(0, update.exitCode(), update.toString());
            assertEquals(1, simulator.world().managedCertificatesUpdated(), "the lost update is sent again, not taken"
                    + " for done by a look\n" + update);
            assertEquals(CertificateLoader.bundleSha256(renewed), ShopWorld.certificate(dir).trustedRootCaSha256(),
                    "the update that landed is recorded (the old client CA was " + oldCa + ")\n" + update);
        }
    }

    /**
     * Claim: a crash at any point is recovered with no lost record, for every call type. The run dies with the
     * update of a shared certificate journalled and not sent (only its client CA changes). Recovery's look for the
     * update finds the certificate as it was, takes the update for landed, and the next run sends nothing: the
     * gateway keeps checking clients against the old CA while the state says the new one.
     */
    @Test
    void sharedCertificateUpdate_crashBeforeSend_isNotAdoptedByRecovery() throws Exception {
        try (Simulator simulator = ShopWorld.start(3, 1, 17)) {
            Path clientCa = dir.resolve("client-ca.pem");
            Files.writeString(clientCa, TestCertificates.authority("Review Crash Client CA").certificatePem());
            Path manifest = ShopWorld.manifest(simulator).mode("shared")
                    .certificate("trusted_root_ca: ${file:client-ca.pem}").write(dir, SHOP);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());

            String renewed = TestCertificates.authority("Renewed Review Crash Client CA").certificatePem();
            Files.writeString(clientCa, renewed);
            CliRun.killedApply(manifest, "before-send:1");
            assertEquals(0, simulator.world().managedCertificatesUpdated(), "the update never left");
            CliRun rerun = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s");
            assertEquals(1, simulator.world().managedCertificatesUpdated(), "the update that never left is sent by"
                    + " the next run; the state records client CA " + ShopWorld.certificate(dir).trustedRootCaSha256()
                    + " (the renewed one is " + CertificateLoader.bundleSha256(renewed) + ")\n" + rerun);
        }
    }


    /**
     * Claim: a crash at any point is recovered with no wrong record, for every call type. As in the first test, the
     * domain refuses a second certificate, so the old one is removed and the bind sent again; the run dies with that
     * bind journalled and not sent, while reads lag. Recovery judges the bind's intent, which names no old ssl_id,
     * and adopts the removed certificate: the state says the bare domain carries it.
     */
    @Test
    void bindAfterConflictRemoval_crashBeforeSend_recoveryNeverAdoptsTheRemovedCertificate() throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults().withOnExisting(OnExisting.CONFLICT)
                .withFaults(Faults.none().withReadLag(Duration.ofSeconds(8))))) {
            Path manifest = boundThenClientCaRenewed(simulator);
            String removed = removed(simulator);
            // before-send 1: the refused bind; 2: the removal; 3: the bind sent again
            CliRun.killedApply(manifest, "before-send:3");
            assertEquals(null, simulator.world().domains().get(0).sslId(), "the domain is bare");
            CliRun rerun = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s");
            ResourceState recorded = binding();
            assertNotEquals(removed, recorded == null ? null : recorded.sslId(), "recovery recorded the removed"
                    + " certificate; the domain carries " + simulator.world().domains().get(0).sslId() + "\n" + rerun);
        }
    }

    /**
     * Binds the one domain with a client CA, waits until reads show it (the next plan must see the binding), then
     * renews only the client CA: the old and the new certificate are then equal by the identity rule.
     */
    private Path boundThenClientCaRenewed(Simulator simulator) throws Exception {
        Path clientCa = dir.resolve("client-ca.pem");
        Files.writeString(clientCa, TestCertificates.authority("Client CA").certificatePem());
        String provider = "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1";
        Path manifest = ONE.write(dir, provider, CERT, "    trusted_root_ca: ${file:client-ca.pem}\n");
        CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(simulator.awaitReadsShowWrites(Duration.ofSeconds(30)), "reads caught up with the first bind");
        Files.writeString(clientCa, TestCertificates.authority("Renewed Client CA").certificatePem());
        return manifest;
    }

    /** The certificate the domain carries before the renewal: the one the rebind removes. */
    private static String removed(Simulator simulator) {
        return simulator.world().domains().get(0).sslId();
    }

    private ResourceState binding() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read().resources().stream()
                .filter(r -> r.domainId() != null).findFirst().orElse(null);
    }
}
