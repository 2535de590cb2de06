package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.CrashPoint;
import io.certform.simulator.Faults;
import io.certform.simulator.OnExisting;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever happens (faults, kill -9, Ctrl-C), nothing is lost, nothing is created twice, and the next run
 * converges: the simulator's counters and the state prove it.
 */
class DurabilityTest {

    @TempDir
    Path dir;

    private static final TestCertificates.Issued WILDCARD = TestCertificates.authority("Durability CA")
            .issue("*.example.com");

    private static Simulator simulator(int bindings, Faults faults, long seed) throws Exception {
        return GatewayWorld.of(bindings).options(SimulatorOptions.defaults().withSeed(seed).withFaults(faults))
                .startSimulator();
    }

    private static Path manifest(Path folder, Simulator simulator, int bindings) throws Exception {
        return GatewayWorld.of(bindings).manifest(simulator.baseUrl()).write(folder, WILDCARD);
    }

    /** Every domain carries exactly the certificate the state records, and each was created once. */
    private static void assertConverged(Simulator simulator, Path stateFile, int bindings) throws Exception {
        State state = new LocalStateStore(stateFile, "t").read();
        assertEquals(bindings, state.resources().size());
        Map<String, String> remote = new HashMap<>();
        for (World.DomainView d : simulator.world().domains()) {
            remote.put(d.domainId(), d.sslId());
            assertEquals(1, d.certificatesBound(), d.domainId() + " had " + d.certificatesBound() + " certificates");
        }
        for (ResourceState r : state.resources()) {
            assertEquals(remote.get(r.domainId()), r.sslId(), r.address() + ": state and remote agree");
        }
        assertEquals(bindings, simulator.world().certificatesCreated(), "no duplicates");
        assertFalse(Files.exists(Path.of(stateFile + ".journal")), "the journal is compacted away");
    }

    /**
     * 300 bindings against 10% 5xx, 5% 429, 3% dropped answers, 5% late writes (the connection closed at once, the
     * write landing 1.5 s later), reads lagging writes by 300 ms, faults on reads too, and serial numbers in mixed
     * formats; and the first six writes held by the gateway past the 1 s read timeout and the 10 s settle window, so
     * the first run gives up on each, looks until its window passes, and exits 1 keeping them open. Then, before the
     * next run looks, three of them land and three are lost for good: the next run adopts the three that landed and
     * sends the three lost ones again. Nothing is created twice, no binding is lost, and two runs converge.
     */
    @Test
    void chaos_300Bindings_withHeldLostAndLateWritesErrorsThrottlingDropsAndReadLag_convergesInTwoRunsWithoutDuplicates()
            throws Exception {
        int bindings = 300;
        int held = 6;
        Faults faults = Faults.none().withRates(0.10, 0.05, 0.03, 0).withLateWrites(0.05, Duration.ofMillis(1500))
                .withReadLag(Duration.ofMillis(300))
                .withLatency(Duration.ofMillis(1), Duration.ofMillis(10)).withRetryAfter(Duration.ofSeconds(1));
        try (Simulator simulator = GatewayWorld.of(bindings).options(SimulatorOptions.defaults().withSeed(300)
                .withFaults(faults).withSerialFormat(io.certform.simulator.SerialFormat.MIXED)).startSimulator()) {
            simulator.holdWrites(held);
            Path manifest = manifest(dir, simulator, bindings);
            Map<String, String> env = Map.of("CERTFORM_AUTH_TOKEN", "tok");
            String[] args = {"apply", "--auto-approve", "-f", manifest.toString(), "--parallelism", "20",
                    "--max-retries", "10", "--read-timeout", "1s", "--call-timeout", "2s", "--settle-window", "10s"};
            CliRun first = CliRun.run(env, "", args);
            assertEquals(1, first.exitCode(), "the held writes never showed within the window: " + first);
            assertEquals(held, first.out().lines().filter(l -> l.contains("): not sent again; the next run settles it"
                    + " first")).count(), "exactly the held writes are left unknown: " + first);
            assertTrue(first.out().contains("Progress: "), "300 changes print progress lines: " + first.out());
            assertTrue(first.out().contains("the certificate was found bound, so it was not sent again"),
                    "a dropped answer was resolved by looking, not resending: " + first.out());
            assertTrue(simulator.awaitHeldWrites(held, Duration.ofSeconds(5)), "the first run left " + held
                    + " writes held");

            // after the run gave up on them, before the next one looks
            assertEquals(held / 2, simulator.landHeldWrites(held / 2));
            assertEquals(held / 2, simulator.loseHeldWrites());
            // the next run looks once reads show what landed (300 ms later): it must find it, not miss it for the read lag
            assertTrue(simulator.awaitReadsShowWrites(Duration.ofSeconds(30)), "reads caught up with the writes");
            CliRun second = CliRun.run(env, "", args);
            assertEquals(0, second.exitCode(), second.toString());
            assertTrue(second.all().contains(held / 2 + " call(s) found to have landed and adopted, " + held / 2
                    + " found not to have happened"), "the next run adopts the writes that landed and voids the"
                    + " lost ones: " + second);
            awaitNoPendingWrites(simulator);
            assertConverged(simulator, dir.resolve("certform.state.json"), bindings);
        }
    }

    /**
     * Ten runs, each halted as by kill -9 at a random one of the moments a run journals an intent, gets an answer or
     * journals a result (a crash point, armed at a random count), while its other workers are wherever they are; the
     * next apply converges each time.
     */
    @Test
    void kill9_atRandomMoments_thenApplyAgain_convergesWithoutDuplicates() throws Exception {
        int bindings = 40;
        Random random = new Random(20261128);
        String[] moments = {"after-intent", "after-send", "after-done"};
        for (int trial = 0; trial < 10; trial++) {
            Faults latency = Faults.none().withLatency(Duration.ofMillis(10), Duration.ofMillis(40))
                    .withRates(0, 0, 0.05, 0);
            try (Simulator simulator = simulator(bindings, latency, trial)) {
                Path folder = dir.resolve("trial" + trial);
                Path manifest = manifest(folder, simulator, bindings);
                // at most half the bindings in: every run, whatever its lost answers, gets that far
                String moment = moments[random.nextInt(moments.length)] + ":" + (1 + random.nextInt(bindings / 2));
                Path log = folder.resolve("child.log");
                Process child = childApply(manifest, log, Map.of(CrashPoint.VARIABLE, moment), "--parallelism", "4");
                assertTrue(child.waitFor(120, TimeUnit.SECONDS), "trial " + trial + ": the run ended");
                String said = Files.readString(log);
                assertEquals(CrashPoint.STATUS, child.exitValue(), "trial " + trial + " halted mid-run at " + moment
                        + ":\n" + said);
                assertTrue(Files.exists(folder.resolve("certform.state.json.journal")), "trial " + trial + ", halted"
                        + " at " + moment + ": the journal was in use");
                Map<String, String> env = Map.of("CERTFORM_AUTH_TOKEN", "tok");
                // a short settle window: a call whose intent was journalled but never sent looks exactly like one
                // still in flight, and the rerun waits the window out before it decides it did not happen
                CliRun rerun = CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest.toString(),
                        "--settle-window", "2s");
                assertEquals(0, rerun.exitCode(), "trial " + trial + " (halted at " + moment + "), at once (the"
                        + " killed run's lock died with it): " + rerun);
                awaitNoPendingWrites(simulator);
                assertConverged(simulator, folder.resolve("certform.state.json"), bindings);
            }
        }
    }

    @Test
    void ctrlC_stopsNewCalls_recordsWhatWasDone_andExits130() throws Exception {
        int bindings = 30;
        try (Simulator simulator = simulator(bindings, Faults.none().withLatency(Duration.ofMillis(150),
                Duration.ofMillis(150)), 1)) {
            Path manifest = manifest(dir, simulator, bindings);
            Process child = childApply(manifest, "--parallelism", "2");
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("Creation complete")) {
                    new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
                    break;
                }
            }
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            String all = String.join("\n", lines);
            assertEquals(130, child.exitValue(), all);
            assertTrue(all.contains("Interrupt received: no new calls are started"), all);
            assertTrue(all.contains("Interrupted."), all);
            State state = new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
            assertTrue(state.resources().size() >= 1 && state.resources().size() < bindings, "partial: "
                    + state.resources().size());
            assertEquals(state.resources().size(), simulator.world().certificatesCreated(),
                    "every call that was made is recorded");
            assertEquals(0, Files.size(dir.resolve("certform.state.json.lock")), "the lock is released");
            CliRun rest = CliRun.run(Map.of("CERTFORM_AUTH_TOKEN", "tok"), "", "apply", "--auto-approve", "-f",
                    manifest.toString());
            assertEquals(0, rest.exitCode(), rest.toString());
            assertConverged(simulator, dir.resolve("certform.state.json"), bindings);
        }
    }

    /**
     * Writes queued behind --rate (one every 5 s), each held by the gateway until the test lands it: the first two
     * land as they arrive, and the apply is killed with SIGKILL while the third is held (10 s into the run). The next
     * apply starts at once, and the held write lands only once that run has looked and said it waits for it (or has
     * ended without waiting). Counted from the intent (written before the rate wait, 10 s before the send), the third
     * call's 8 s settle window would have passed at that look: the call would be voided and sent again, and the held
     * one would land after it, a second certificate. Counted from the send, the run waits, finds it once it lands,
     * and sends nothing again.
     */
    @Test
    void kill9_whileWritesWaitForTheRate_thenApplyAgain_countsTheSettleWindowFromTheSend() throws Exception {
        int bindings = 3;
        try (Simulator simulator = simulator(bindings, Faults.none(), 3)) {
            simulator.holdWrites(bindings);
            Path manifest = manifest(dir, simulator, bindings);
            Path log = dir.resolve("child.log");
            Process child = childApply(manifest, log, Map.of(), "--parallelism", "3", "--rate", "0.2/s",
                    "--settle-window", "8s");
            try {
                for (int write = 1; write <= bindings; write++) {
                    boolean held = simulator.awaitHeldWrites(1, Duration.ofSeconds(60));
                    assertTrue(held, "write " + write + " never reached the gateway; the run said:\n"
                            + Files.readString(log));
                    if (write < bindings) {
                        assertEquals(1, simulator.landHeldWrites());
                    }
                }
            } finally {
                child.destroyForcibly(); // SIGKILL while the third write is held by the gateway
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(bindings, posts(simulator));

            NoteWatcher err = new NoteWatcher("Waiting up to");
            java.util.concurrent.CompletableFuture<CliRun> running = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> CliRun.run(Map.of("CERTFORM_AUTH_TOKEN", "tok"),
                            new BufferedReader(new java.io.StringReader("")), err, "apply", "--auto-approve", "-f",
                            manifest.toString(), "--settle-window", "8s"));
            // the rerun has looked at the held call and waits for it (or, not waiting, has decided and ended)
            assertTrue(err.awaitNoteOr(running, Duration.ofSeconds(60)), "the rerun neither waited nor ended: "
                    + err);
            assertEquals(1, simulator.landHeldWrites(), "the third write was still held");
            CliRun rerun = running.get(60, TimeUnit.SECONDS);
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertTrue(rerun.all().contains("Recovered an interrupted run"), rerun.toString());
            awaitNoPendingWrites(simulator);
            assertEquals(bindings, posts(simulator), "no write was sent again: " + rerun);
            assertConverged(simulator, dir.resolve("certform.state.json"), bindings);
        }
    }

    /** Standard error of an in-process run, kept whole, that tells a waiting test when a line with a text appears. */
    private static final class NoteWatcher extends java.io.Writer {
        private final String note;
        private final StringBuilder text = new StringBuilder();
        private final java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);

        NoteWatcher(String note) {
            this.note = note;
        }

        @Override
        public synchronized void write(char[] chars, int offset, int length) {
            text.append(chars, offset, length);
            if (text.indexOf(note) >= 0) {
                seen.countDown();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** Waits until the note was written or {@code run} ended, at most {@code limit}; false when neither. */
        boolean awaitNoteOr(java.util.concurrent.CompletableFuture<?> run, Duration limit) throws Exception {
            run.whenComplete((result, failure) -> seen.countDown());
            return seen.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public synchronized String toString() {
            return text.toString();
        }
    }

    /**
     * SIGTERM while writes wait for a --rate slot (one call every 2 s, four workers): the workers waiting give up
     * before their call is sent, so the gateway receives no write after the signal but the one that may already be
     * on its way; the run records what it did and exits 130 at once, and the next apply converges.
     */
    @Test
    void sigterm_whileWritesWaitForTheRate_sendsNoWriteThatHadNotLeft() throws Exception {
        int bindings = 12;
        try (Simulator simulator = simulator(bindings, Faults.none(), 4)) {
            Path manifest = manifest(dir, simulator, bindings);
            Process child = childApply(manifest, "--parallelism", "4", "--rate", "0.5/s");
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            long postsAtSignal = -1;
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                if (line.contains("Creation complete")) {
                    postsAtSignal = posts(simulator);
                    new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start().waitFor();
                    break;
                }
            }
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            String all = String.join("\n", lines);
            assertEquals(130, child.exitValue(), all);
            assertTrue(postsAtSignal >= 1, all);
            long after = posts(simulator) - postsAtSignal;
            assertTrue(after <= 1, after + " write(s) reached the gateway after SIGTERM (at most the one already"
                    + " on its way may):\n" + all);
            assertTrue(all.contains("Interrupt received: no new calls are started"), all);
            State state = new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
            assertEquals(simulator.world().certificatesCreated(), state.resources().size(),
                    "every call that was made is recorded");
            CliRun rest = CliRun.run(Map.of("CERTFORM_AUTH_TOKEN", "tok"), "", "apply", "--auto-approve", "-f",
                    manifest.toString());
            assertEquals(0, rest.exitCode(), rest.toString());
            assertConverged(simulator, dir.resolve("certform.state.json"), bindings);
        }
    }

    /**
     * SIGTERM during a renewal on a gateway that refuses a second certificate (APIG.3400), after the rotation's
     * DELETE of the old certificate and while its bind waits for a --rate slot: the stop starts nothing new, but the
     * bind that finishes the rotation is still sent, so the domain is not left without a certificate.
     */
    @Test
    void sigterm_betweenTheRemovalAndTheBindOfARotation_stillBindsTheNewCertificate() throws Exception {
        try (Simulator simulator = GatewayWorld.of(1).options(SimulatorOptions.defaults().withSeed(5)
                .withOnExisting(OnExisting.CONFLICT).withFaults(Faults.none())).startSimulator()) {
            Path manifest = manifest(dir, simulator, 1);
            CliRun first = CliRun.run(Map.of("CERTFORM_AUTH_TOKEN", "tok"), "", "apply", "--auto-approve", "-f",
                    manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            GatewayWorld.of(1).manifest(simulator.baseUrl())
                    .write(dir, WILDCARD.issuer().issue("*.example.com"));
            Process child = childApply(manifest, "--parallelism", "1", "--rate", "0.4/s");
            java.io.ByteArrayOutputStream output = new java.io.ByteArrayOutputStream();
            Thread pump = new Thread(() -> {
                try {
                    child.getInputStream().transferTo(output);
                } catch (java.io.IOException ignored) {
                    // the child ended
                }
            });
            pump.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!simulator.world().domains().get(0).bare() && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(5);
            }
            assertTrue(simulator.world().domains().get(0).bare(), "the old certificate was never deleted: " + output);
            new ProcessBuilder("kill", "-TERM", Long.toString(child.pid())).start().waitFor();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            pump.join();
            String all = "exit " + child.exitValue() + "\n" + output.toString(StandardCharsets.UTF_8);
            assertFalse(simulator.world().domains().get(0).bare(), "SIGTERM left the domain bare between the"
                    + " DELETE and the bind of one rotation\n" + all);
            assertEquals(130, child.exitValue(), all);
            State state = new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
            assertEquals(1, state.resources().size(), all);
            assertEquals(simulator.world().domains().get(0).sslId(), state.resources().get(0).sslId(),
                    "the state records the certificate the domain carries\n" + all);
        }
    }

    /** The write calls (POST) the gateway has received, faulted or not. */
    static long posts(Simulator simulator) {
        // read in the same JVM: a watcher that opened a connection per look (100 a second) made the simulator's
        // server close idle connections, the child's pooled one among them, and its next write failed unsent
        return simulator.requests("POST");
    }

    static void awaitNoPendingWrites(Simulator simulator) throws Exception {
        if (!simulator.awaitWritesLanded(java.time.Duration.ofSeconds(30))) {
            throw new AssertionError("the simulator's writes did not land");
        }
    }

    private static Process childApply(Path manifest, String... extra) throws Exception {
        return childApply(manifest, null, Map.of(), extra);
    }

    /**
     * Starts apply in a child JVM, with {@code environment} added (e.g. an armed crash point); with a log file its
     * output goes there (readable after a SIGKILL).
     */
    private static Process childApply(Path manifest, Path log, Map<String, String> environment, String... extra)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "apply", "--auto-approve", "-f", manifest.toString()));
        command.addAll(List.of(extra.length == 0 ? new String[] {"--parallelism", "4"} : extra));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("CERTFORM_AUTH_TOKEN", "tok");
        builder.environment().remove(CrashPoint.VARIABLE);
        builder.environment().putAll(environment);
        if (log != null) {
            builder.redirectOutput(log.toFile());
        }
        return builder.start();
    }
}
