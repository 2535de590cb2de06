package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.local.LocalStateStore;
import io.certform.state.postgres.PostgresLocation;
import io.certform.state.postgres.PostgresStateStore;
import io.certform.state.State;
import io.certform.state.StateStore;
import io.certform.state.postgres.TestPostgres;
import io.certform.testing.GatewayWorld;
import io.certform.testing.PostgresSchema;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The state commands on a PostgreSQL workspace, read the same way as on a local file. */
class PostgresStateCommandsTest {

    private static final TestCertificates.Issued WILDCARD = TestCertificates.authority("Commands CA")
            .issue("*.example.com");

    @RegisterExtension
    final PostgresSchema pg = new PostgresSchema();

    @TempDir
    Path dir;

    private String schema;
    private String workspace;
    private Map<String, String> env;
    private Path manifest;

    @BeforeEach
    void manifest() throws Exception {
        schema = pg.schema(); // skips without a server
        workspace = pg.workspace();
        env = Map.of("CERTFORM_AUTH_TOKEN", "tok", PostgresLocation.URL_VARIABLE, pg.url());
        manifest = GatewayWorld.of(3).manifest("").provider("endpoint: embedded, project_id: proj1")
                .state(pg.stateLine()).write(dir, WILDCARD);
    }

    private CliRun run(String stdin, String... args) {
        String[] all = Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-f";
        all[args.length + 1] = manifest.toString();
        return CliRun.run(env, stdin, all);
    }

    private static List<String> serialsAndCounts(String history) {
        return history.lines().skip(1).map(l -> l.split("\\s+")).map(c -> c[0] + " " + c[2]).toList();
    }

    @Test
    void historyAndShowSerial_readTheSame_onBothBackends_afterMigratingToALocalFile() {
        CliRun apply = run("", "apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertFalse(Files.exists(dir.resolve("certform.state.json")), "the state is in PostgreSQL, not in a file");
        assertNoPemInTheDatabase();
        assertEquals(0, run("", "state", "rm", "site[d0.example.com]").exitCode());
        CliRun history = run("", "state", "history");
        assertEquals(List.of("2 2", "1 3"), serialsAndCounts(history.out()), history.toString());
        CliRun shown = run("", "state", "show", "--serial", "1", "site[d0.example.com]");
        assertEquals(0, shown.exitCode(), shown.toString());
        assertTrue(shown.out().contains("ssl_id"), shown.out());

        CliRun moved = run("", "state", "migrate", "--to", "local", "--path", dir.resolve("moved.json").toString());
        assertEquals(0, moved.exitCode(), moved.toString());
        assertTrue(moved.out().contains("serial 2, 2 binding(s), 2 version(s)"), moved.out());
        String file = dir.resolve("moved.json").toString();
        assertEquals(serialsAndCounts(history.out()), serialsAndCounts(run("", "state", "history", "--state", file).out()));
        assertEquals(shown.out(), run("", "state", "show", "--serial", "1", "site[d0.example.com]", "--state", file)
                .out());
        assertEquals(run("", "state", "list").out(), run("", "state", "list", "--state", file).out());
    }

    @Test
    void twoRunsThatReadTheSameSerial_theSecondToWriteIsRefused() {
        assertEquals(0, run("", "apply", "--auto-approve").exitCode());
        assertEquals(0, run("", "state", "rm", "site[d1.example.com]", "site[d2.example.com]").exitCode());
        String first = dir.resolve("first.plan").toString();
        String second = dir.resolve("second.plan").toString();
        assertEquals(2, run("", "plan", "-out", first, "--detailed-exitcode").exitCode(), "both read serial 2");
        assertEquals(2, run("", "plan", "-out", second, "--detailed-exitcode").exitCode());
        CliRun applied = CliRun.run(env, "", "apply", first);
        assertEquals(0, applied.exitCode(), applied.toString());
        CliRun stale = CliRun.run(env, "", "apply", second);
        assertEquals(1, stale.exitCode(), stale.toString());
        assertTrue(stale.err().contains("Saved plan is stale"), stale.err());
        assertEquals(3, run("", "state", "list").out().lines().count());
    }

    /** Every row certform wrote, as text: no key, no PEM. */
    private void assertNoPemInTheDatabase() {
        try (java.sql.Connection c = pg.connect();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet r = s.executeQuery("SELECT t::text FROM " + schema + ".certform_state t UNION ALL"
                     + " SELECT t::text FROM " + schema + ".certform_binding t UNION ALL SELECT t::text FROM " + schema
                     + ".certform_journal t UNION ALL SELECT t::text FROM " + schema + ".certform_lock t")) {
            int rows = 0;
            while (r.next()) {
                rows++;
                assertFalse(r.getString(1).contains("-----BEGIN") || r.getString(1).contains("PRIVATE KEY"),
                        r.getString(1));
                assertFalse(r.getString(1).contains(WILDCARD.privateKeyPem().lines().skip(1).findFirst().orElseThrow()),
                        "no line of the key");
            }
            assertTrue(rows >= 4, "the state and its bindings were read: " + rows);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void migrate_refusesATargetHoldingAnotherLineage_andWritesNothing() throws Exception {
        assertEquals(0, run("", "apply", "--auto-approve").exitCode());
        Path other = dir.resolve("other.json");
        StateStore local = new LocalStateStore(other, "t");
        State foreign = local.read().next(List.of(), "t");
        local.write(foreign);
        CliRun refused = run("", "state", "migrate", "--to", "local", "--path", other.toString());
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("already holds another state (lineage " + foreign.lineage()), refused.err());
        assertEquals(foreign, new LocalStateStore(other, "t").read(), "the target is untouched");

        CliRun back = run("", "state", "migrate", "--to", "postgres", "--state", other.toString(), "--schema", schema,
                "--workspace", workspace);
        assertEquals(1, back.exitCode(), back.toString());
        assertTrue(back.err().contains("already holds another state"), back.err());
    }

    @Test
    void forceUnlock_showsTheHolderAndExpiry_asksForYes_thenBreaksTheLease() throws Exception {
        try (PostgresStateStore holder = new PostgresStateStore(pg.location(), "t")) {
            StateStore.Held lease = holder.lock("apply", Duration.ZERO);
            String id = lease.lock().id();
            CliRun no = run("no\n", "force-unlock", id);
            assertEquals(1, no.exitCode(), no.toString());
            assertTrue(no.out().contains("for apply since") && no.out().contains("its lease expires at")
                    && no.out().contains("pid " + ProcessHandle.current().pid()), no.out());
            assertEquals(id, holder.holder().orElseThrow().id(), "still held");
            CliRun busy = run("", "apply", "--auto-approve");
            assertEquals(1, busy.exitCode());
            assertTrue(busy.err().contains("ID:        " + id), busy.err());
            CliRun yes = run("yes\n", "force-unlock", id);
            assertEquals(0, yes.exitCode(), yes.toString());
            assertTrue(holder.holder().isEmpty(), "the lease is broken");
            lease.close();
        }
    }

    @Test
    void validate_connectsToNothing_andAWrongUrlIsReportedInTheManifest_withoutItsPassword() throws Exception {
        Map<String, String> nowhere = Map.of("CERTFORM_AUTH_TOKEN", "tok", PostgresLocation.URL_VARIABLE,
                "jdbc:postgresql://127.0.0.1:1/none?password=hunter2");
        CliRun validate = CliRun.run(nowhere, "", "validate", "-f", manifest.toString());
        assertEquals(0, validate.exitCode(), validate.toString());
        CliRun plan = CliRun.run(nowhere, "", "plan", "-f", manifest.toString());
        assertEquals(1, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("cannot connect to the PostgreSQL state at jdbc:postgresql://127.0.0.1:1/none"),
                plan.err());
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"${env:CERTFORM_PG_URL}\"", "\"mysql://db/infra\""));
        CliRun wrong = CliRun.run(nowhere, "", "plan", "-f", manifest.toString());
        assertEquals(1, wrong.exitCode(), wrong.toString());
        assertTrue(wrong.all().contains("certform.yaml:3:8: error:") && wrong.all().contains("not a PostgreSQL URL"),
                wrong.all());
        Files.writeString(manifest, text.replace("\"${env:CERTFORM_PG_URL}\"",
                "\"jdbc:postgresql://ci:hunter2@db/infra\""));
        CliRun literal = CliRun.run(nowhere, "", "validate", "-f", manifest.toString());
        assertEquals(1, literal.exitCode(), literal.toString());
        assertTrue(literal.all().contains("state.url has a password written in the manifest"), literal.all());
        for (CliRun run : List.of(validate, plan, wrong, literal)) {
            assertFalse(run.all().contains("hunter2"), "no password in any output:\n" + run);
        }
    }

    @Test
    void stateSchema_printsTheSqlForTheManifestsSchema_withoutConnecting() {
        CliRun sql = CliRun.run(Map.of(PostgresLocation.URL_VARIABLE, "jdbc:postgresql://127.0.0.1:1/none"), "",
                "state", "schema", "-f", manifest.toString());
        assertEquals(0, sql.exitCode(), sql.toString());
        assertTrue(sql.out().contains("CREATE TABLE " + schema + ".certform_state"), sql.out());
        assertTrue(sql.out().contains("INSERT INTO " + schema + ".certform_schema (version) VALUES (1)"), sql.out());
    }

    /** A workspace whose journal holds an interrupted run's calls is not moved: they must be settled first. */
    @Test
    void migrate_refusesASourceWithAnUnsettledJournal_andMovesNothing() throws Exception {
        assertEquals(0, run("", "apply", "--auto-approve").exitCode());
        try (PostgresStateStore store = new PostgresStateStore(pg.location(), "t")) {
            State state = store.read();
            store.settle(state.next(state.resources(), "t"), List.of(io.certform.state.JournalRecord.Intent.bind(
                    state.resources().get(0), null, java.time.Instant.now())));
        }
        Path target = dir.resolve("moved.json");
        CliRun refused = run("", "state", "migrate", "--to", "local", "--path", target.toString());
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("unfinished call(s)"), refused.err());
        assertFalse(Files.exists(target), "nothing was moved");
    }
    /**
     * A manifest whose state.url names an unset variable is refused (it used to read the libpq defaults,
     * root@localhost/root); read-only commands on a schema that does not exist say there is no state and create
     * nothing (force-unlock neither: no schema, no lock); plan names the workspace and database it reads.
     */
    @Test
    void readOnlyCommands_needANamedServer_createNoSchema_andPlanNamesWhatItReads() throws Exception {
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("${env:CERTFORM_PG_URL}", "${env:TEAM_PG_URL}"));
        for (String[] args : new String[][]{{"state", "list"}, {"plan"}, {"state", "history"}}) {
            CliRun unset = run("", args);
            assertEquals(1, unset.exitCode(), String.join(" ", args) + "\n" + unset);
            assertTrue(unset.all().contains("TEAM_PG_URL"), String.join(" ", args) + "\n" + unset);
            assertFalse(unset.all().contains("jdbc:postgresql://localhost"), "no server guessed\n" + unset);
        }

        String untouched = TestPostgres.freshSchema();
        Files.writeString(manifest, text.replace("schema: " + schema, "schema: " + untouched));
        CliRun list = run("", "state", "list");
        assertEquals(1, list.exitCode(), list.toString());
        assertTrue(list.err().contains("no state at workspace " + workspace + " of jdbc:postgresql://"), list.toString());
        CliRun show = run("", "state", "show", "site[d0.example.com]");
        assertEquals(1, show.exitCode(), show.toString());
        assertTrue(show.err().contains("no state at workspace " + workspace), show.toString());
        CliRun plan = run("", "plan");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().startsWith("State: workspace " + workspace + " of jdbc:postgresql://"), plan.out());
        assertTrue(plan.out().contains("schema " + untouched + "): no state there yet"), plan.out());
        assertEquals(1, plan.out().split("workspace " + workspace, -1).length - 1, "the workspace named once: "
                + plan.out());
        for (String[] args : new String[][]{{"validate"}, {"certs"}, {"state", "history"}}) {
            CliRun read = run("", args);
            assertEquals(0, read.exitCode(), String.join(" ", args) + "\n" + read);
        }
        CliRun unlock = run("", "force-unlock", "--force", "some-id");
        assertEquals(1, unlock.exitCode(), unlock.toString());
        assertTrue(unlock.err().contains("is not locked") && unlock.err().contains("holds no certform state yet"),
                unlock.toString());
        CliRun asked = run("no\n", "force-unlock", "some-id");
        assertEquals(1, asked.exitCode(), asked.toString());
        try (java.sql.Connection c = pg.connect(); // the same server: the schema is looked up by its name
             java.sql.PreparedStatement q = c.prepareStatement("SELECT to_regnamespace(?) IS NULL")) {
            q.setString(1, untouched);
            try (java.sql.ResultSet r = q.executeQuery()) {
                r.next();
                assertTrue(r.getBoolean(1), "no read-only command created the schema " + untouched);
            }
        }
    }
}
