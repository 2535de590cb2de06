package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.CrashPoint;
import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.postgres.PostgresLocation;
import io.certform.state.postgres.PostgresStateStore;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testing.GatewayWorld;
import io.certform.testing.PostgresSchema;
import io.certform.testkit.TestCertificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole certform processes sharing one PostgreSQL workspace, as CI runners do: several applies at once take turns on
 * the lease and create nothing twice; an apply killed with SIGKILL while holding the lease is settled by the next
 * run, from another working directory, once the lease has expired.
 */
class PostgresStateEndToEndTest {

    private static final TestCertificates.Issued WILDCARD = TestCertificates.authority("Shared CA")
            .issue("*.example.com");

    @RegisterExtension
    final PostgresSchema pg = new PostgresSchema();

    @TempDir
    Path dir;

    private PostgresLocation location() {
        return pg.location();
    }

    private static Simulator simulator(int bindings, Duration latency) throws Exception {
        return GatewayWorld.of(bindings).options(SimulatorOptions.defaults().withSeed(5)
                .withFaults(Faults.none().withLatency(latency, latency))).startSimulator();
    }

    private Path manifest(Path folder, Simulator simulator, int bindings, String lease) throws Exception {
        return GatewayWorld.of(bindings).manifest(simulator.baseUrl()).state(pg.stateLine("lease: " + lease))
                .write(folder, WILDCARD);
    }

    /** A certform process in {@code folder}; its output is collected, line by line, as it runs. */
    private record Child(Process process, CompletableFuture<String> output, StringBuffer seen) {
        String waitForOutput() throws Exception {
            assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the process ended");
            return output.get(10, TimeUnit.SECONDS);
        }

        /** Waits until the process has printed {@code text}; false when its output ended first. */
        boolean awaitOutput(String text) throws InterruptedException {
            synchronized (seen) {
                while (seen.indexOf(text) < 0 && !output.isDone()) {
                    seen.wait();
                }
                return seen.indexOf(text) >= 0;
            }
        }
    }

    private Child start(Path folder, String... args) throws Exception {
        return start(folder, Map.of(), args);
    }

    /** As {@link #start(Path, String...)}, with {@code environment} added (e.g. an armed crash point). */
    private Child start(Path folder, Map<String, String> environment, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
        builder.environment().put("CERTFORM_AUTH_TOKEN", "tok");
        builder.environment().put(PostgresLocation.URL_VARIABLE, pg.url());
        builder.environment().remove(CrashPoint.VARIABLE);
        builder.environment().putAll(environment);
        Process process = builder.start();
        StringBuffer seen = new StringBuffer();
        CompletableFuture<String> output = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(
                    process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    synchronized (seen) {
                        seen.append(line).append('\n');
                        seen.notifyAll();
                    }
                }
            } catch (java.io.IOException e) {
                seen.append("(output lost: ").append(e).append(")\n");
            }
            synchronized (seen) {
                output.complete(seen.toString());
                seen.notifyAll();
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
        return new Child(process, output, seen);
    }

    private long number(String sql) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** A timestamp the database answers (the server's clock). */
    private Instant instant(String sql) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            assertTrue(r.next() && r.getTimestamp(1) != null, "no answer to " + sql);
            return r.getTimestamp(1).toInstant();
        }
    }

    private long count(String table) throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM " + pg.schema() + "." + table + " WHERE workspace = '"
                     + pg.workspace() + "'")) {
            r.next();
            return r.getLong(1);
        } catch (java.sql.SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return 0; // the first run has not created the schema yet
            }
            throw e;
        }
    }

    /** The state records every binding once, each what its domain carries, and no domain got two certificates. */
    private void assertConverged(Simulator simulator, int bindings) throws Exception {
        State state;
        try (PostgresStateStore store = new PostgresStateStore(location(), "t")) {
            state = store.read();
            assertTrue(store.journal().isEmpty(), "the journal is settled");
        }
        assertEquals(bindings, state.resources().size());
        assertEquals(bindings, state.resources().stream().map(ResourceState::address).distinct().count());
        Map<String, World.DomainView> remote = new HashMap<>();
        simulator.world().domains().forEach(d -> remote.put(d.domainId(), d));
        for (ResourceState r : state.resources()) {
            assertEquals(remote.get(r.domainId()).sslId(), r.sslId(), r.address() + ": state and remote agree");
        }
        for (World.DomainView d : simulator.world().domains()) {
            assertEquals(1, d.certificatesBound(), d.domainId() + " was given " + d.certificatesBound()
                    + " certificates");
        }
        assertEquals(bindings, simulator.world().certificatesCreated(), "no duplicate");
        assertEquals(bindings, count("certform_binding"), "the inventory has one row per binding");
    }

    @Test
    void fourApplies_atOnce_onOneWorkspace_takeTurns_andCreateNothingTwice() throws Exception {
        int bindings = 20;
        try (Simulator simulator = simulator(bindings, Duration.ofMillis(40))) {
            Path manifest = manifest(dir, simulator, bindings, "10s");
            List<Child> children = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                // three wait for the lock; one does not wait, and either wins the race or is told who holds it
                children.add(start(dir, "apply", "--auto-approve", "-f", manifest.toString(), "--parallelism", "4",
                        "--lock-timeout", i < 3 ? "3m" : "0s"));
            }
            int added = 0;
            int applied = 0;
            for (int i = 0; i < children.size(); i++) {
                Child child = children.get(i);
                String output = child.waitForOutput();
                int code = child.process().exitValue();
                if (code != 0) {
                    assertEquals(3, i, "only the run that would not wait may fail:\n" + output);
                    assertEquals(1, code, output);
                    assertTrue(output.contains("the state is locked by another run") && output.contains("Operation: apply")
                            && output.contains("Who:") && output.contains("PID:") && output.contains("Expires:"),
                            "it names the holder:\n" + output);
                    continue;
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("Resources: (\\d+) added").matcher(output);
                if (m.find()) {
                    added += Integer.parseInt(m.group(1));
                    applied++;
                } else {
                    assertTrue(output.contains("No changes."), output);
                }
            }
            System.out.println("four applies: " + applied + " applied " + added + " binding(s); exit codes "
                    + children.stream().map(c -> c.process().exitValue()).toList());
            assertEquals(1, applied, "one run applied; the others found nothing left to do");
            assertEquals(bindings, added);
            assertConverged(simulator, bindings);
            assertEquals(0, count("certform_lock"), "every lease was released");
        }
    }

    @Test
    void anApplyKilledWhileHoldingTheLease_isSettledByTheNextRunFromAnotherFolder_afterTheLeaseExpires()
            throws Exception {
        int bindings = 10;
        try (Simulator simulator = simulator(bindings, Duration.ofMillis(40))) {
            Path first = dir.resolve("runner-1");
            // a lease that cannot run out while the test watches: its length passes when the test says so (below)
            manifest(first, simulator, bindings, "10m");
            // halted (as by SIGKILL: no shutdown hook, the lease is not released) once its third binding is journalled
            Child killed = start(first, Map.of(CrashPoint.VARIABLE, "after-done:3"), "apply", "--auto-approve", "-f",
                    "certform.yaml", "--parallelism", "1");
            String said = killed.waitForOutput();
            assertEquals(CrashPoint.STATUS, killed.process().exitValue(), "halted mid-run:\n" + said);
            assertEquals(1, count("certform_lock"), "the dead run's lease is left behind");
            assertTrue(count("certform_journal") >= 3, "its journal is in the database");
            long createdBefore = simulator.world().certificatesCreated();
            assertEquals(3, createdBefore, "killed mid-run, after its third binding:\n" + said);
            long postsBefore = DurabilityTest.posts(simulator);
            long serialBefore = number("SELECT coalesce(max(serial), 0) FROM " + pg.schema() + ".certform_state WHERE"
                    + " workspace = '" + pg.workspace() + "'");

            Path second = dir.resolve("runner-2");
            manifest(second, simulator, bindings, "6s");
            assertTrue(Files.notExists(second.resolve("certform.state.json.journal")));
            Child next = start(second, Map.of(), "apply", "--auto-approve", "-f", "certform.yaml", "--lock-timeout",
                    "120s", "--settle-window", "2s");
            assertTrue(next.awaitOutput("waiting up to 120s for it (--lock-timeout)"), "the next run found the dead"
                    + " run's lease and waits:\n" + next.output().getNow(""));
            assertEquals(postsBefore, DurabilityTest.posts(simulator), "nothing is sent while the lease is held");
            // the dead run's lease runs out: its expiry moves to now, as the server's clock reaching it would
            Instant leaseEnds = instant("UPDATE " + pg.schema() + ".certform_lock SET expires_at = clock_timestamp()"
                    + " WHERE workspace = '" + pg.workspace() + "' RETURNING expires_at");
            String output = next.waitForOutput();
            assertEquals(0, next.process().exitValue(), output);
            Instant firstWrite = instant("SELECT min(written_at) FROM " + pg.schema() + ".certform_state WHERE"
                    + " workspace = '" + pg.workspace() + "' AND serial > " + serialBefore);
            assertFalse(firstWrite.isBefore(leaseEnds), "it waited out the lease: it wrote at " + firstWrite
                    + ", the dead run's lease ended at " + leaseEnds + " (server times)\n" + output);
            assertTrue(output.contains("Recovered an interrupted run"), output);
            assertConverged(simulator, bindings);
            assertEquals(0, count("certform_lock"));
            assertTrue(Files.notExists(second.resolve("certform.state.json")), "no local state was written");
        }
    }

    /**
     * A run paused past its lease (SIGSTOP: a closed laptop, a suspended VM, a long GC) while its writes wait for
     * --rate slots. Another run takes over once the lease has expired, settles the journal and applies everything.
     * When the paused run wakes (SIGCONT), the next intent it journals is refused on the lease, before its call:
     * it sends nothing, says that its lock was taken, and exits 1. No domain gets a second certificate.
     */
    @Test
    void aRunPausedPastItsLease_sendsNothingWhenItWakes_afterAnotherRunTookOver() throws Exception {
        int bindings = 6;
        try (Simulator simulator = simulator(bindings, Duration.ofMillis(20))) {
            Path first = dir.resolve("runner-1");
            manifest(first, simulator, bindings, "2s");
            Child paused = start(first, "apply", "--auto-approve", "-f", "certform.yaml", "--parallelism", "3",
                    "--rate", "0.2/s");
            Instant deadline = Instant.now().plusSeconds(120);
            while (simulator.world().certificatesCreated() < 1 && paused.process().isAlive()
                    && Instant.now().isBefore(deadline)) {
                Thread.sleep(10); // the first write is done; the two other workers wait 5 s and 10 s for their slots
            }
            assertTrue(paused.process().isAlive(), "still applying:\n" + paused.output().getNow(""));
            signal(paused.process(), "STOP");
            long postsAfterWaking;
            try {
                Path second = dir.resolve("runner-2");
                manifest(second, simulator, bindings, "2s");
                Child next = start(second, "apply", "--auto-approve", "-f", "certform.yaml", "--lock-timeout", "60s",
                        "--settle-window", "2s");
                String output = next.waitForOutput();
                assertEquals(0, next.process().exitValue(), output);
                postsAfterWaking = DurabilityTest.posts(simulator);
            } finally {
                signal(paused.process(), "CONT");
            }
            String woke = paused.waitForOutput();
            assertEquals(1, paused.process().exitValue(), woke);
            assertTrue(woke.contains("was taken by another run"), woke);
            assertEquals(postsAfterWaking, DurabilityTest.posts(simulator),
                    "the run that lost its lease sent nothing once it woke:\n" + woke);
            assertConverged(simulator, bindings);
        }
    }

    private static void signal(Process process, String signal) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor());
    }

}
