package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.local.LocalStateStore;
import io.certform.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One state file, one lock, whatever path names it: an apply through a symbolic link to the state file, started
 * while another process's apply of the same state holds its lock, is refused with the holder named and sends
 * nothing; every certificate is created once.
 */
class OneStateOneLockTest {

    private static final int N = 4;
    private static final SimulatedRollout ROLLOUT = SimulatedRollout.ofGroupsOfFive(N);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Lock CA").issue("*.example.com");

    @TempDir
    Path dir;

    /** Reads {@code child}'s output until {@code text} appears; what it read. */
    private static String readUntil(Process child, String text) throws Exception {
        StringBuilder seen = new StringBuilder();
        java.io.InputStream in = child.getInputStream();
        int b;
        while (seen.indexOf(text) < 0 && (b = in.read()) >= 0) {
            seen.append((char) b);
        }
        return seen.toString();
    }

    @Test
    void anApplyThroughASymlink_whileAnotherHoldsTheLock_isRefused_andNothingIsCreatedTwice() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            // another name for the state file: a link, dangling until the first apply writes the state
            Path alias = Files.createSymbolicLink(dir.resolve("alias.json"), Path.of("certform.state.json"));
            // the first apply, in a process of its own, takes the lock and waits at its confirmation prompt
            Process first = CliRun.child("apply", "-f", manifest.toString());
            try {
                String asked = readUntil(first, "Enter a value: ");
                assertTrue(asked.endsWith("Enter a value: "), asked);

                CliRun second = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--state",
                        alias.toString());
                assertEquals(1, second.exitCode(), second.toString());
                assertTrue(second.err().contains("Error acquiring the state lock") && second.err().contains("PID:"
                        + "       " + first.pid()), second.toString());
                assertEquals(0, simulator.world().certificatesCreated(), "the refused apply sent nothing\n" + second);

                first.getOutputStream().write("yes\n".getBytes(StandardCharsets.UTF_8));
                first.getOutputStream().flush();
                String rest = new String(first.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(first.waitFor(120, TimeUnit.SECONDS));
                assertEquals(0, first.exitValue(), rest);
            } finally {
                first.destroyForcibly();
            }
            assertEquals(N, simulator.world().certificatesCreated(), "each certificate is created once");
            assertEquals(N, new LocalStateStore(alias, "t").read().resources().size());
            assertTrue(Files.isSymbolicLink(alias) && !Files.exists(dir.resolve("alias.json.lock")));
        }
    }
    /**
     * A hard link is another name for the same file that no path resolution can see through: two applies, one under
     * each name, would take two locks. A state file with other hard links is refused under every name, before the
     * lock is taken, and nothing is sent.
     */
    @Test
    void aStateFileWithAHardLink_isRefusedUnderEitherName_andNothingIsSent() throws Exception {
        try (Simulator simulator = ROLLOUT.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = ROLLOUT.write(dir, simulator, CERT);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            ROLLOUT.write(dir, simulator, TestCertificates.authority("Lock CA 2").issue("*.example.com"));
            Path alias = Files.createLink(dir.resolve("alias.json"), dir.resolve("certform.state.json"));
            for (String state : new String[] {dir.resolve("certform.state.json").toString(), alias.toString()}) {
                CliRun run = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--state", state);
                assertEquals(1, run.exitCode(), run.toString());
                assertTrue(run.err().contains("has 2 hard links"), run.toString());
                assertTrue(run.err().contains("use a symbolic link"), run.toString());
            }
            assertEquals(N, simulator.world().certificatesCreated(), "nothing was sent under either name");
        }
    }
}
