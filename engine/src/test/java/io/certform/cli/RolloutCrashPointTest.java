package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.state.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A rollout killed between its waves, after a wave was applied and before it was checked, and in the middle of a
 * wave; a plain {@code apply} then finishes it: every binding carries the new certificate and its check is
 * recorded, and what was applied but never checked is checked first, and said so.
 */
class RolloutCrashPointTest {

    static final int DOMAINS = 30;

    @TempDir
    Path dir;

    Path manifest(Simulator simulator, io.certform.testkit.TestCertificates.Issued cert) throws Exception {
        Files.writeString(dir.resolve("roots.pem"), RolloutEndToEndTest.CA.certificatePem());
        return ShopWorld.manifest(simulator)
                .rollout("waves: [1, \"10%\", \"100%\"]", "verify: tls", ShopWorld.tlsProbe(simulator))
                .material("site").write(dir, cert);
    }

    @ParameterizedTest(name = "rotation in waves, killed at {0}")
    @ValueSource(strings = {"between-waves:1", "after-wave:2", "after-send:3", "after-send:10", "between-waves:2"})
    void rolloutKilled_thenPlainApply_finishesIt_everyBindingChecked(String crashAt) throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(DOMAINS, 5, 3)) {
            Path manifest = manifest(simulator, RolloutEndToEndTest.OLD);
            CliRun first = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, first.exitCode(), first.toString());
            manifest(simulator, RolloutEndToEndTest.NEW);
            CliRun.killedApply(manifest, crashAt);
            CliRun rerun = CliRun.run("apply", "-f", manifest.toString(), "--auto-approve",
                    "--settle-window", "2s");
            assertEquals(0, rerun.exitCode(), rerun.toString());
            if (crashAt.startsWith("after-wave")) {
                assertTrue((rerun.out() + rerun.err()).contains("applied and never checked"), rerun.toString());
            }
            List<ResourceState> state = ShopWorld.resources(dir);
            assertEquals(DOMAINS, state.size());
            for (ResourceState r : state) {
                assertEquals(RolloutEndToEndTest.NEW.serialHex(), r.serialNumber(), r.address());
                assertNotNull(r.verifiedAt(), r.address() + ": checked");
                assertFalse(r.verificationOwed(), r.address() + ": checked after it was bound");
            }
            assertEquals(List.of(), RolloutEndToEndTest.notServing(simulator, RolloutEndToEndTest.NEW, DOMAINS));
            assertEquals(0, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode());
        }
    }
}
