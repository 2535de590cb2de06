package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lifecycle.prevent_destroy on a shared certificate whose rotation a rollout plans as a replacement (guarantee 6;
 * the old certificate resource is deleted after the last wave): the protected certificate is not replaced without a
 * prevent_destroy error; and, without the lifecycle block, the plan shows what apply does.
 */
class PreventDestroyRolloutTest {


    @TempDir
    Path dir;

    Path manifest(Simulator simulator, TestCertificates.Issued cert) throws Exception {
        return manifest(simulator, cert, "lifecycle: { prevent_destroy: true }");
    }

    Path manifest(Simulator simulator, TestCertificates.Issued cert, String lifecycle) throws Exception {
        return ShopWorld.manifest(simulator).rollout("waves: [1, \"100%\"]").mode("shared").certificate(lifecycle)
                .material("site").write(dir, cert);
    }

    @Test
    void protectedSharedCertificate_rotatedInARollout_isNotDeletedWithoutSayingSo() throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(4, 5, 1)) {
            Path manifest = manifest(simulator, RolloutEndToEndTest.OLD);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            long created = simulator.world().managedCertificatesCreated();
            manifest(simulator, RolloutEndToEndTest.NEW);
            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            boolean refused = apply.exitCode() == 1 && apply.err().contains("prevent_destroy");
            boolean keptInPlace = simulator.world().managedCertificatesCreated() == created;
            assertTrue(refused || keptInPlace, "the protected certificate resource was replaced (a new one created,"
                    + " the old one deleted) without a prevent_destroy error\nplan:\n" + plan + "\napply:\n" + apply);
        }
    }

    /** Guarantee 4 with a rollout block: plan shows (and counts) what apply will do to a shared rotation. */
    @Test
    void sharedRotationWithARolloutBlock_planShowsWhatApplyDoes() throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(4, 5, 1)) {
            Path manifest = manifest(simulator, RolloutEndToEndTest.OLD, "");
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            manifest(simulator, RolloutEndToEndTest.NEW, "");
            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            String planned = plan.out().substring(0, plan.out().indexOf("Plan:"));
            String applied = apply.out().substring(0, apply.out().indexOf("Plan:"));
            assertEquals(applied.lines().filter(l -> l.startsWith("  # ")).toList(),
                    planned.lines().filter(l -> l.startsWith("  # ")).toList(), "plan vs apply");
        }
    }
}
