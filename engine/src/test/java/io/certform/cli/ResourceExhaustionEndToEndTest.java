package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.IoFault;
import io.certform.simulator.Faults;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Running out of memory, disk space or file handles in the middle of a real apply (a child JVM): the run ends as
 * an interrupt ends it, exit 1 with a message that names what ran out and what to do (never "a bug in certform",
 * never a stack trace), and a plain apply afterwards converges with no certificate created twice.
 */
class ResourceExhaustionEndToEndTest {

    private static final TestCertificates.Issued CERT = TestCertificates.authority("Exhaustion CA")
            .issue("*.example.com");

    @TempDir
    Path dir;

    private record Child(int exitCode, String output) {
    }

    /** Runs certform in a child JVM with {@code jvmOptions} and {@code env} added; waits for it. */
    private static Child child(List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(CliRun.TOKEN_ENV);
        builder.environment().putAll(env);
        builder.environment().put("NO_COLOR", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), output);
        return new Child(process.exitValue(), output);
    }

    /** The simulator's options: its seed, and {@code faults}. */
    private static SimulatorOptions options(Faults faults) {
        return SimulatorOptions.defaults().withSeed(17).withFaults(faults);
    }

    /** What every stopped run must print: the cause and the remedy, and nothing that looks like a crash. */
    private static void assertCleanStop(Child run, String cause, String remedy) {
        assertEquals(1, run.exitCode(), run.output());
        assertTrue(run.output().contains("Stopped."), run.output());
        assertTrue(run.output().contains("Error: " + cause), run.output());
        assertTrue(run.output().contains(remedy), run.output());
        assertTrue(run.output().contains("then run apply again: it resumes where this one stopped"), run.output());
        assertFalse(run.output().contains("bug in certform"), run.output());
        assertFalse(run.output().contains("Exception"), run.output());
        assertFalse(run.output().contains("\tat "), run.output());
    }

    /** A plain apply with a normal heap and no fault finishes the rollout: each domain bound exactly once. */
    private void assertNextApplyConverges(Path manifest, World world, int bindings) throws Exception {
        CliRun rerun = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--parallelism", "32",
                "--settle-window", "2s");
        assertEquals(0, rerun.exitCode(), rerun.toString());
        assertEquals(bindings, world.certificatesCreated(), "every certificate created once, none twice");
        Map<String, World.DomainView> remote = new HashMap<>();
        world.domains().forEach(d -> remote.put(d.domainId(), d));
        List<ResourceState> recorded = ShopWorld.resources(dir);
        assertEquals(bindings, recorded.size());
        for (ResourceState r : recorded) {
            World.DomainView d = remote.get(r.domainId());
            assertEquals(1, d.certificatesBound(), r.domainId() + ": bound once");
            assertEquals(d.sslId(), r.sslId(), r.address() + ": the state records what the domain carries");
        }
        assertFalse(Files.exists(dir.resolve("certform.state.json.journal")), "the journal is settled");
        CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
        assertEquals(0, plan.exitCode(), plan.toString());
    }

    /**
     * A real heap too small for the rollout. Where it gives out (the plan's reads or the calls in flight) depends on
     * the collector and the machine's load, so this checks what holds wherever it happens: a clean end naming the
     * heap, and a next apply that converges. The stop in the middle of the calls is checked, at a known call, below.
     */
    @Test
    void aHeapTooSmallForTheRollout_endsCleanly_namingTheHeap_andTheNextApplyConverges() throws Exception {
        int bindings = 1500;
        try (GatewayWorld gateway = GatewayWorld.of(bindings).options(options(Faults.none()
                .withLatency(Duration.ofMillis(300), Duration.ofMillis(300)))).start()) {
            World world = gateway.world();
            Path manifest = gateway.manifest().write(dir, CERT);
            Child run = child(List.of("-Xmx20m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), Map.of(), "apply",
                    "--auto-approve", "-f", manifest.toString(), "--parallelism", "256");
            assertEquals(1, run.exitCode(), run.output());
            assertTrue(run.output().contains("Error: certform ran out of memory (a Java heap of 20 MiB)"), run.output());
            assertTrue(run.output().contains("Give it more with CERTFORM_JAVA_OPTS=-Xmx1g (or lower --parallelism)"),
                    run.output());
            assertFalse(run.output().contains("bug in certform"), run.output());
            assertFalse(run.output().contains("Exception"), run.output());
            assertFalse(run.output().contains("\tat "), run.output());
            assertTrue(world.certificatesCreated() < bindings, "stopped before the end");
            gateway.restart(options(Faults.none())); // the same world, on the same port
            manifest = gateway.manifest().write(dir, CERT);
            assertNextApplyConverges(manifest, world, bindings);
        }
    }

    /** The heap gives out at the 60th write call, with calls in flight: the run stops as an interrupt does. */
    @Test
    void outOfMemoryWithCallsInFlight_stopsCleanly_namingTheHeap_andTheNextApplyConverges() throws Exception {
        int bindings = 200;
        try (GatewayWorld gateway = GatewayWorld.of(bindings).options(options(Faults.none()
                .withLatency(Duration.ofMillis(50), Duration.ofMillis(50)))).start()) {
            World world = gateway.world();
            Path manifest = gateway.manifest().write(dir, CERT);
            Child run = child(List.of("-Xmx256m"), Map.of(IoFault.VARIABLE, "memory:60:Java heap space"), "apply",
                    "--auto-approve", "-f", manifest.toString(), "--parallelism", "16");
            assertCleanStop(run, "certform ran out of memory (a Java heap of 256 MiB)",
                    "Give it more with CERTFORM_JAVA_OPTS=-Xmx1g (or lower --parallelism)");
            long created = world.certificatesCreated();
            assertTrue(created > 0 && created < bindings, "stopped mid-run, after " + created + " certificates");
            gateway.restart(options(Faults.none())); // the same world, on the same port
            manifest = gateway.manifest().write(dir, CERT);
            assertNextApplyConverges(manifest, world, bindings);
        }
    }

    @Test
    void aFullDisk_stopsCleanly_keepsTheJournalWhole_andTheNextApplyConverges() throws Exception {
        int bindings = 120;
        try (GatewayWorld gateway = GatewayWorld.of(bindings).options(options(Faults.none())).start()) {
            World world = gateway.world();
            Path manifest = gateway.manifest().write(dir, CERT);
            // from the 100th write on (about 50 bindings in), every journal record and state file fails halfway
            Child run = child(List.of(), Map.of(IoFault.VARIABLE, "write:100:No space left on device"), "apply",
                    "--auto-approve", "-f", manifest.toString(), "--parallelism", "4");
            assertCleanStop(run, "the disk is full (No space left on device)",
                    "Free space on the disk that holds the state (" + dir.resolve("certform.state.json") + ")");
            long created = world.certificatesCreated();
            assertTrue(created > 0 && created < bindings, "stopped mid-run, after " + created + " certificates");
            assertTrue(Files.exists(dir.resolve("certform.state.json.journal")), "the journal holds the results");
            assertNextApplyConverges(manifest, world, bindings);
        }
    }

    @Test
    void tooManyOpenFiles_stopsCleanly_sendsNothingItCouldNotConnectFor_andTheNextApplyConverges() throws Exception {
        int bindings = 120;
        try (GatewayWorld gateway = GatewayWorld.of(bindings).options(options(Faults.none())).start()) {
            World world = gateway.world();
            Path manifest = gateway.manifest().write(dir, CERT);
            Child run = child(List.of(), Map.of(IoFault.VARIABLE, "connect:40:Too many open files"), "apply",
                    "--auto-approve", "-f", manifest.toString(), "--parallelism", "4");
            assertCleanStop(run, "certform ran out of file handles (Too many open files)",
                    "Raise the limit (ulimit -n) or lower --parallelism");
            long created = world.certificatesCreated();
            assertTrue(created > 0 && created < bindings, "stopped mid-run, after " + created + " certificates");
            assertNextApplyConverges(manifest, world, bindings);
        }
    }
}
