package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateStore;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Saved plans, drift, import, targeting, prevent_destroy and locking, end to end against a simulator. */
class WorkflowEndToEndTest {

    private static final int GROUPS = 3;
    private static final int BINDINGS = 12;

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>(Map.of("CERTFORM_AUTH_TOKEN", "tok"));
    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();
    private final TestCertificates.Authority ca = TestCertificates.authority("Workflow CA");
    private TestCertificates.Issued wildcard;
    private TestCertificates.Issued other;
    private Simulator simulator;

    @BeforeEach
    void setUp() throws Exception {
        wildcard = ca.issue("*.example.com");
        other = ca.issue("*.example.com");
        startSimulator(Faults.none());
        manifest("wild", "");
    }

    /** BINDINGS domains spread round-robin over GROUPS groups, named only (resolved through the groups). */
    private static GatewayWorld.Builder world() {
        return GatewayWorld.of(BINDINGS).groups(i -> "grp" + (i % GROUPS));
    }

    private void startSimulator(Faults faults) throws Exception {
        simulator = world().options(SimulatorOptions.defaults().withFaults(faults)).startSimulator();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** One certificate 'site' on BINDINGS domains over GROUPS groups, by name. */
    private void manifest(String certificateFile, String extra) throws Exception {
        TestCertificates.Issued certificate = certificateFile.equals("wild") ? wildcard : other;
        world().manifest(simulator.baseUrl()).byName().afterMaterial(extra).write(dir, certificate);
    }

    /** A run made once the settle window after the apply has passed: a read that lags a write is no excuse then. */
    private CliRun later(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        return CliRun.runAt(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)), env, "",
                all.toArray(String[]::new));
    }

    private CliRun certform(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        return CliRun.run(env, "", all.toArray(String[]::new));
    }

    /** As {@link #certform(String...)}, reading standard input from {@code in}, writing standard error to {@code err}. */
    private CliRun certform(BufferedReader in, Writer err, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("certform.yaml").toString()));
        return CliRun.run(env, in, err, all.toArray(String[]::new));
    }

    private State state() throws Exception {
        return store().read();
    }

    private LocalStateStore store() {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t");
    }

    private JsonNode simulatorState() throws Exception {
        return json.readTree(http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_simulator/state"))
                .build(), HttpResponse.BodyHandlers.ofString()).body());
    }

    private int gets() throws Exception {
        return simulatorState().path("counters").path("requests").path("GET").asInt();
    }

    private HttpResponse<String> byHand(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/v2/proj1/apic/instances/inst1" + path))
                .header("X-Auth-Token", "tok").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private ResourceState recorded(int i) throws Exception {
        return state().resource("site[d" + i + ".example.com]").orElseThrow();
    }

    @Test
    void staleSavedPlan_isRefused_afterAnotherApply() throws Exception {
        assertEquals(0, certform("plan", "-out", dir.resolve("first.plan").toString()).exitCode());
        assertEquals(0, certform("plan", "-out", dir.resolve("second.plan").toString()).exitCode());
        String planText = Files.readString(dir.resolve("first.plan"));
        assertFalse(planText.contains("PRIVATE KEY") || planText.contains(wildcard.privateKeyPem().lines().skip(1)
                .findFirst().orElseThrow()), "a plan file holds no key");

        CliRun first = CliRun.run(env, "", "apply", dir.resolve("first.plan").toString());
        assertEquals(0, first.exitCode(), first.toString());
        assertTrue(first.out().contains("Apply complete! Resources: 12 added"), first.out());

        int posts = simulatorState().path("counters").path("requests").path("POST").asInt();
        CliRun second = CliRun.run(env, "", "apply", dir.resolve("second.plan").toString());
        assertEquals(1, second.exitCode());
        assertTrue(second.err().contains("Saved plan is stale: the state changed since the plan was made (serial 0 -> "),
                second.err());
        assertEquals(posts, simulatorState().path("counters").path("requests").path("POST").asInt(), "nothing sent");
    }

    @Test
    void savedPlan_isStale_whenACertificateChanged() throws Exception {
        assertEquals(0, certform("plan", "-out", dir.resolve("p.plan").toString()).exitCode());
        Files.writeString(dir.resolve("wild.crt"), other.chainPem());
        Files.writeString(dir.resolve("wild.key"), other.privateKeyPem());
        CliRun apply = CliRun.run(env, "", "apply", dir.resolve("p.plan").toString());
        assertEquals(1, apply.exitCode());
        assertTrue(apply.err().contains("Saved plan is stale: the certificate of site[d0.example.com] changed since the"
                + " plan was made"), apply.err());
        assertEquals(0, simulatorState().path("counters").path("certificates_created").asInt());
    }

    @Test
    void driftByHand_isDetected_shownAndRepaired() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        String otherBody = json.createObjectNode().put("name", "by_hand").put("cert_content", other.chainPem())
                .put("private_key", other.privateKeyPem()).toString();
        assertEquals(201, byHand("POST", "/api-groups/grp1/domains/dom1/certificate", otherBody).statusCode());
        String removedSsl = recorded(2).sslId();
        assertEquals(204, byHand("DELETE", "/api-groups/grp2/domains/dom2/certificate/" + removedSsl, null).statusCode());

        CliRun early = certform("plan", "--detailed-exitcode");
        assertTrue(early.err().contains("site[d2.example.com]: bound at ") && early.err().contains("does not show it"
                + " yet"), "right after the apply, a bare domain may be a lagging read: " + early);
        assertTrue(early.out().contains("# site[d1.example.com] has changed"), "a certificate made after the apply is"
                + " drift at once: " + early.out());

        int before = gets();
        CliRun plan = later("plan", "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), plan.toString());
        assertEquals(GROUPS + 1, gets() - before, "one GET per group, plus one detail GET for the changed binding");
        assertTrue(plan.out().contains("Note: Objects have changed outside of certform"), plan.out());
        assertTrue(plan.out().contains("# site[d1.example.com] has changed: the domain now carries ssl_id"), plan.out());
        assertTrue(plan.out().contains("# site[d2.example.com] has been removed"), plan.out());
        assertTrue(plan.out().contains("~ binding \"site[d1.example.com]\" { (changed outside certform)"), plan.out());
        assertTrue(plan.out().contains("+ binding \"site[d2.example.com]\" { (changed outside certform)"), plan.out());
        assertTrue(plan.out().contains("Plan: 1 to add, 1 to change, 0 to destroy."), plan.out());

        JsonNode planJson = json.readTree(later("plan", "--json").out());
        assertEquals(2, planJson.path("resource_drift").size());
        assertEquals("changed", planJson.path("resource_drift").get(0).path("kind").asString());
        SchemaConformanceTest.assertConformsToPlanSchema(planJson);

        CliRun repair = later("apply", "--auto-approve");
        assertEquals(0, repair.exitCode(), repair.toString());
        assertEquals(0, later("plan", "--detailed-exitcode").exitCode());
        assertEquals(wildcard.serialHex(), simulatorState().path("domains").get(1).path("serial_number").asString());
    }

    @Test
    void refresh_ofNBindingsOverGGroups_makesGGets_andRecordsWhatItFound() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        int before = gets();
        CliRun clean = certform("refresh");
        assertEquals(0, clean.exitCode(), clean.toString());
        assertEquals(GROUPS, gets() - before, "12 bindings in 3 groups: 3 GETs");
        assertTrue(clean.out().contains("No changes outside certform"), clean.out());

        byHand("DELETE", "/api-groups/grp0/domains/dom0/certificate/" + recorded(0).sslId(), null);
        long serial = state().serial();
        CliRun found = later("refresh");
        assertTrue(found.out().contains("site[d0.example.com]: the domain carries no certificate any more; removed from the state"),
                found.out());
        assertEquals(serial + 1, state().serial());
        assertEquals(BINDINGS - 1, state().resources().size());
        assertEquals(BINDINGS, store().version(serial).orElseThrow().resources().size(), "the previous state is kept");
    }

    @Test
    void refreshFalse_skipsTheRemoteSide() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        byHand("DELETE", "/api-groups/grp0/domains/dom0/certificate/" + recorded(0).sslId(), null);
        int before = gets();
        CliRun plan = certform("plan", "--refresh=false", "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertEquals(before, gets(), "no GET at all");
    }

    @Test
    void import_adoptsTheManifestsCertificate_thenPlanIsNoOp_andRefusesAnother() throws Exception {
        String body = json.createObjectNode().put("name", "site_cert").put("cert_content", wildcard.chainPem())
                .put("private_key", wildcard.privateKeyPem()).toString();
        assertEquals(201, byHand("POST", "/api-groups/grp0/domains/dom0/certificate", body).statusCode());
        CliRun imported = certform("import", "site[d0.example.com]");
        assertEquals(0, imported.exitCode(), imported.toString());
        assertTrue(imported.out().contains("Import successful! site[d0.example.com] is now managed by certform"),
                imported.out());
        CliRun plan = certform("plan", "--target", "site[d0.example.com]", "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.toString());

        String otherBody = json.createObjectNode().put("name", "site_cert").put("cert_content", other.chainPem())
                .put("private_key", other.privateKeyPem()).toString();
        byHand("POST", "/api-groups/grp1/domains/dom1/certificate", otherBody);
        CliRun mismatch = certform("import", "site[d1.example.com]");
        assertEquals(1, mismatch.exitCode());
        assertTrue(mismatch.err().contains("is not certificate 'site' of the manifest: serial ")
                && mismatch.err().contains("(expected " + wildcard.serialHex() + ")"), mismatch.err());
        assertTrue(state().resource("site[d1.example.com]").isEmpty(), "not adopted");
        assertTrue(certform("import", "site[d0.example.com]").err().contains("is already managed by certform"));
        assertTrue(certform("import", "site[nope]").err().contains("site[nope] is not declared in the manifest"));
    }

    @Test
    void targetAndExclude_limitThePlan_withAWarning() throws Exception {
        CliRun one = certform("plan", "--target", "site[d3.example.com]");
        assertTrue(one.out().contains("Plan: 1 to add, 0 to change, 0 to destroy."), one.out());
        assertTrue(one.err().contains("warning: Resource targeting is in effect"), one.err());
        CliRun all = certform("plan", "--target", "site", "--exclude", "site[d3.example.com]");
        assertTrue(all.out().contains("Plan: 11 to add"), all.out());
        CliRun apply = certform("apply", "--auto-approve", "--target", "site[d3.example.com]",
                "--target", "site[d4.example.com]");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(2, state().resources().size());
        CliRun destroy = certform("destroy", "--auto-approve", "--target", "site[d4.example.com]");
        assertTrue(destroy.out().contains("Resources: 0 added, 0 changed, 1 destroyed."), destroy.out());
        assertEquals(List.of("site[d3.example.com]"), state().resources().stream().map(ResourceState::address).toList());
        CliRun bad = certform("plan", "--target", "site[x");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("'site[x' is not a resource address"), bad.err());
        assertTrue(certform("plan", "--target", "nothing").err().contains("--target nothing matches no binding"));
    }

    @Test
    void preventDestroy_turnsAnyDeletingPlanIntoAnError() throws Exception {
        manifest("wild", "    lifecycle: { prevent_destroy: true }\n");
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        CliRun destroy = certform("destroy", "--auto-approve");
        assertEquals(1, destroy.exitCode());
        assertTrue(destroy.err().contains("site[d0.example.com] would be destroyed, but certificate 'site' has"
                + " lifecycle.prevent_destroy"), destroy.err());
        assertEquals(BINDINGS, state().resources().size(), "nothing destroyed");
        assertEquals(0, certform("plan", "--destroy", "--exclude", "site").exitCode(), "excluded: nothing to delete");
    }

    /** The first apply holds the lock while it asks for confirmation: the second, started then, fails at once. */
    @Test
    void concurrentApplies_oneFailsAtOnce_namingTheLockHolder() throws Exception {
        Person person = new Person();
        CompletableFuture<CliRun> first = inThread(() -> certform(person.input(), new StringWriter(), "apply"));
        CompletableFuture.anyOf(person.asked, first).get(120, TimeUnit.SECONDS);
        assertTrue(person.asked.isDone(), "the first apply asks for confirmation: " + first.getNow(null));
        Path lock = dir.resolve("certform.state.json.lock");
        assertTrue(Files.size(lock) > 0, "the asking apply holds the lock");
        CliRun second = certform("apply", "--auto-approve");
        person.answer("yes");
        CliRun applied = first.get(120, TimeUnit.SECONDS);
        assertEquals(1, second.exitCode(), second.toString());
        assertTrue(second.err().contains("Error acquiring the state lock"), second.err());
        assertTrue(second.err().contains("Operation: apply"), second.err());
        assertTrue(second.err().contains("PID:       " + ProcessHandle.current().pid()), second.err());
        assertEquals(0, applied.exitCode(), applied.toString());
        assertEquals(0, Files.size(lock), "released at the end: the holder's details are cleared");
        store().lock("test", Duration.ZERO).close();
        assertEquals(BINDINGS, simulatorState().path("counters").path("certificates_created").asInt());
    }

    /** An apply that finds the lock held waits (it says so), and goes on once the holder releases it. */
    @Test
    void lockTimeout_waitsForTheHolder() throws Exception {
        StateStore.Held held = store().lock("apply", Duration.ZERO);
        CompletableFuture<Void> waiting = new CompletableFuture<>();
        Writer err = new StringWriter() {
            @Override
            public void flush() {
                if (toString().contains("waiting up to 20s for it (--lock-timeout)")) {
                    waiting.complete(null);
                }
            }
        };
        CompletableFuture<CliRun> waited = inThread(() -> certform(
                new BufferedReader(new StringReader("")), err, "apply", "--auto-approve", "--lock-timeout", "20s"));
        try {
            CompletableFuture.anyOf(waiting, waited).get(120, TimeUnit.SECONDS);
            assertTrue(waiting.isDone(), "the apply found the lock held and said it waits: " + waited.getNow(null));
        } finally {
            held.close();
        }
        CliRun run = waited.get(120, TimeUnit.SECONDS);
        assertEquals(0, run.exitCode(), run.toString());
        assertTrue(run.err().contains("The state is locked by " + held.lock().who() + " (pid "
                + ProcessHandle.current().pid() + ", apply); waiting up to 20s for it (--lock-timeout)."), run.err());
    }

    /** A run on a thread of its own (not a shared pool's, which the run's own work may need). */
    private static CompletableFuture<CliRun> inThread(java.util.function.Supplier<CliRun> run) {
        CompletableFuture<CliRun> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(run.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }, "certform-run");
        thread.setDaemon(true);
        thread.start();
        return result;
    }

    /** Standard input a person answers: reading it completes {@link #asked}, and waits until the answer is given. */
    private static final class Person extends Reader {
        final CompletableFuture<Void> asked = new CompletableFuture<>();
        private final CompletableFuture<String> answer = new CompletableFuture<>();
        private Reader given;

        BufferedReader input() {
            return new BufferedReader(this);
        }

        void answer(String line) {
            answer.complete(line + "\n");
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            asked.complete(null);
            if (given == null) {
                try {
                    given = new StringReader(answer.get());
                } catch (InterruptedException | ExecutionException e) {
                    throw new InterruptedIOException("no answer: " + e);
                }
            }
            return given.read(buffer, offset, length);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void lockDetailsLeftByAProcessThatEnded_doNotBlock_andForceUnlockExplainsWhy() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ObjectNode lock = json.createObjectNode().put("id", "lock-123").put("operation", "apply")
                .put("who", "ci@runner").put("pid", gone.pid()).put("created", "2026-01-01T00:00:00Z")
                .put("host", hostName());
        Files.writeString(dir.resolve("certform.state.json.lock"), lock.toString());
        CliRun unlock = certform("force-unlock", "--force", "lock-123");
        assertEquals(1, unlock.exitCode());
        assertTrue(unlock.err().contains("the state is not locked, so there is nothing to unlock (it was last taken by"
                + " ci@runner, pid " + gone.pid()), unlock.err());
        assertTrue(unlock.err().contains("The operating system releases a local lock when the process that took it"
                + " ends"), unlock.err());
        assertEquals(0, certform("apply", "--auto-approve").exitCode(), "the lock the ended process left is no lock");
    }

    @Test
    void forceUnlock_ofALockHeldByARunningProcess_isRefused_namingIt() throws Exception {
        try (StateStore.Held held = store().lock("apply", Duration.ZERO)) {
            CliRun unlock = certform("force-unlock", "--force", held.lock().id());
            assertEquals(1, unlock.exitCode());
            assertTrue(unlock.err().contains("the state is locked by a running process: " + held.lock().who() + ", pid "
                    + ProcessHandle.current().pid() + ", for apply"), unlock.err());
            assertEquals(1, certform("apply", "--auto-approve").exitCode(), "still held");
        }
    }

    @Test
    void stateCommands_listShowAndRm() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve", "--target", "site[d0.example.com]",
                "--target", "site[d1.example.com]").exitCode());
        assertEquals("site[d0.example.com]\nsite[d1.example.com]\n", certform("state", "list").out());
        CliRun show = certform("state", "show", "site[d0.example.com]");
        assertTrue(show.out().contains("ssl_id                  = \"" + recorded(0).sslId() + "\""), show.out());
        assertTrue(show.out().contains("serial_number           = \"" + wildcard.serialHex() + "\""), show.out());
        CliRun rm = certform("state", "rm", "site[d0.example.com]");
        assertEquals(0, rm.exitCode(), rm.toString());
        assertEquals("site[d1.example.com]\n", certform("state", "list").out());
        assertTrue(rm.out().contains("the previous state is kept as serial 1 ('certform state show --serial 1')"),
                rm.out());
        assertEquals(2, store().version(1).orElseThrow().resources().size());
        assertTrue(simulatorState().path("domains").get(0).path("ssl_id").isString(), "the remote side is untouched");
        assertEquals(1, certform("state", "show", "site[nope]").exitCode());
    }

    @Test
    void applyJson_streamsOneEventPerLine() throws Exception {
        CliRun run = certform("apply", "--auto-approve", "--json", "--target", "site[d0.example.com]");
        assertEquals(0, run.exitCode(), run.toString());
        List<JsonNode> events = run.out().lines().map(json::readTree).toList();
        // The targeting warning is a JSON diagnostic on the same stream, before the events.
        assertEquals(List.of("diagnostic", "planned", "started", "done", "summary"),
                events.stream().map(e -> e.path("type").asString()).toList());
        assertEquals("warning", events.get(0).path("severity").asString());
        assertEquals("", run.err(), "nothing human beside the JSON");
        assertEquals("site[d0.example.com]", events.get(3).path("address").asString());
        assertTrue(events.get(3).path("ssl_id").asString().matches("[0-9a-f]{32}"));
        assertEquals(1, events.get(4).path("added").asInt());
        assertEquals(1, certform("apply", "--json").exitCode(), "--json cannot ask for confirmation");
    }

    @Test
    void domainNameNotBoundToItsGroup_isAnErrorListingTheGroupsDomains() throws Exception {
        Files.writeString(dir.resolve("certform.yaml"), Files.readString(dir.resolve("certform.yaml"))
                .replace("domain: d0.example.com", "domain: typo.example.com"));
        CliRun plan = certform("plan");
        assertEquals(1, plan.exitCode());
        assertTrue(plan.err().contains("site[typo.example.com]: the domain typo.example.com is not bound to group grp0"
                + " of instance inst1"), plan.err());
        assertTrue(plan.err().contains("Its domains are d0.example.com, d3.example.com, d6.example.com, d9.example.com."),
                plan.err());
    }

    @Test
    void stateFolderThatCannotBeWritten_isFoundBeforeAnyCall() throws Exception {
        CliRun apply = certform("apply", "--auto-approve", "--state", dir.resolve("missing/folder/s.json").toString());
        assertEquals(1, apply.exitCode());
        assertTrue(apply.err().contains("the folder of the state file does not exist"), apply.err());
        assertEquals(0, simulatorState().path("counters").path("requests").path("POST").asInt(), "nothing sent");
    }

    private static String hostName() {
        String fromEnvironment = System.getenv("HOSTNAME");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return fromEnvironment;
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
