package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.CrashPoint;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No private key reaches the journal, the state or its history: not mid-run, not after recovery. */
class SecretsAtRestTest {

    @TempDir
    Path dir;

    private static final TestCertificates.Issued WILDCARD = TestCertificates.authority("Secrets CA")
            .issue("*.example.com");

    /** The key's base64 body, line by line (each line is 64 characters of key material). */
    private static List<String> keyLines() {
        return WILDCARD.privateKeyPem().lines().filter(l -> !l.startsWith("-----") && l.length() > 16).toList();
    }

    /** Every file certform wrote beside the state, with its bytes. */
    private List<Path> stateFiles() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(dir)) {
            all.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().startsWith("certform.state.json")
                            || p.getParent().getFileName().toString().endsWith(".history"))
                    .forEach(files::add);
        }
        return files;
    }

    private void assertNoKeyMaterial(String when) throws Exception {
        List<Path> files = stateFiles();
        assertFalse(files.isEmpty(), when);
        for (Path file : files) {
            String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
            for (String line : keyLines()) {
                assertFalse(text.contains(line) || text.contains(line.substring(0, Math.min(24, line.length()))),
                        when + ": " + file + " holds key material");
            }
            assertFalse(text.contains("-----BEGIN"), when + ": " + file + " holds PEM");
        }
    }

    @Test
    void anApplyKilledMidRun_andItsRecovery_writeNoKeyMaterial() throws Exception {
        int bindings = 12;
        SimulatedRollout rollout = SimulatedRollout.ofGroupsOfFive(bindings);
        try (Simulator simulator = rollout.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = rollout.write(dir, simulator, WILDCARD);
            CliRun killed = CliRun.crashed("after-done:5", "apply", "--auto-approve", "-f", manifest.toString(),
                    "--parallelism", "2");
            assertEquals(CrashPoint.STATUS, killed.exitCode(), killed.out());
            assertTrue(Files.size(dir.resolve("certform.state.json.journal")) > 0, "killed mid-run, journal in use");
            assertNoKeyMaterial("after the kill");

            CliRun rerun = CliRun.run("apply", "--auto-approve", "-f",
                    manifest.toString(), "--settle-window", "2s");
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertTrue(Files.isDirectory(dir.resolve("certform.state.json.history")), "a previous state was kept");
            assertNoKeyMaterial("after recovery");
        }
    }
}
