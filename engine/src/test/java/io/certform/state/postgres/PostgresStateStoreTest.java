package io.certform.state.postgres;

import io.certform.state.JournalFailure;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.state.StateConflictException;
import io.certform.state.StateException;
import io.certform.state.StateLock;
import io.certform.state.StateLockException;
import io.certform.state.StateStore;
import io.certform.state.StateStoreContract;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Sleeper;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What only the PostgreSQL store promises: its schema, its lease, its fencing, its inventory, on a real server. */
class PostgresStateStoreTest {

    private static String schema;
    private final List<PostgresStateStore> opened = new ArrayList<>();
    private final String workspace = TestPostgres.freshWorkspace();

    @BeforeAll
    static void schema() {
        schema = TestPostgres.freshSchema();
    }

    @AfterAll
    static void dropSchema() {
        TestPostgres.dropSchema(schema);
    }

    @AfterEach
    void close() {
        opened.forEach(PostgresStateStore::close);
    }

    private PostgresStateStore store(PostgresLocation location) {
        return store(location, Sleeper.SYSTEM);
    }

    /** A store whose lease heartbeat waits on {@code heartbeat} (its lock attempts on the real sleeper). */
    private PostgresStateStore store(PostgresLocation location, Sleeper heartbeat) {
        PostgresStateStore store = new PostgresStateStore(location, "1.0", Clock.systemUTC(), Sleeper.SYSTEM,
                heartbeat, StateStore.COMPACT_AT);
        opened.add(store);
        return store;
    }

    private PostgresStateStore store() {
        return store(TestPostgres.location(schema, workspace));
    }

    private PostgresStateStore store(Duration lease) {
        return store(TestPostgres.location(schema, workspace).withLease(lease));
    }

    static List<List<String>> query(PostgresLocation location, String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = TestPostgres.connect(location); Statement s = c.createStatement();
             ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.add(r.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static void execute(PostgresLocation location, String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(location); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Test
    void schema_onConcurrentFirstUse_isCreatedOnce_andEveryProcessWorks() throws Exception {
        PostgresLocation fresh = TestPostgres.location(TestPostgres.freshSchema(), "first");
        try {
            int starters = 6;
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(starters);
            List<Future<State>> reads = new ArrayList<>();
            for (int i = 0; i < starters; i++) {
                PostgresStateStore store = store(fresh.withWorkspace("w" + i));
                reads.add(pool.submit(() -> {
                    go.await();
                    store.checkWritable(); // what a writing run does first: creates the schema if it must
                    return store.read();
                }));
            }
            go.countDown();
            for (Future<State> read : reads) {
                assertEquals(0, read.get().serial(), "each starter reads an empty state");
            }
            pool.shutdown();
            assertEquals(List.of(List.of("1"), List.of("2"), List.of("3")), query(fresh, "SELECT version FROM " + fresh.schema()
                    + ".certform_schema ORDER BY version"), "each migration, recorded once");
            store(fresh).write(State.empty("1.0").next(List.of(), "1.0"));
        } finally {
            TestPostgres.drop(fresh);
        }
    }

    @Test
    void withoutDdlRights_aSchemaCreatedFromThePrintedSql_works_andAMissingOneIsExplained() throws Exception {
        PostgresLocation admin = TestPostgres.location(TestPostgres.freshSchema(), "ops");
        String role = "certform_dml_" + admin.schema().substring("certform_test_".length());
        try {
            execute(admin, "CREATE ROLE " + role + " LOGIN");
            PostgresLocation user = new PostgresLocation(admin.jdbcUrl(), role, new PostgresLocation.Secret(null),
                    admin.schema(), "ops", Duration.ofSeconds(30));
            assertEquals(0, store(user).read().serial(), "a read finds no state yet, and creates nothing");
            StateException missing = assertThrows(StateException.class, () -> store(user).checkWritable());
            assertTrue(missing.getMessage().contains("certform state schema"), missing.getMessage());
            String script = PostgresSchema.script(admin.schema());
            execute(admin, script);
            execute(admin, script); // idempotent
            execute(admin, "GRANT USAGE ON SCHEMA " + admin.schema() + " TO " + role + "; GRANT SELECT, INSERT,"
                    + " UPDATE, DELETE ON ALL TABLES IN SCHEMA " + admin.schema() + " TO " + role);
            PostgresStateStore store = store(user);
            store.checkWritable();
            try (StateStore.Held lock = store.lock("apply", Duration.ZERO)) {
                store.write(store.read().next(List.of(StateStoreContract.resource(1)), "1.0"));
            }
            assertEquals(1, store(user).read().serial());
        } finally {
            TestPostgres.drop(admin);
            execute(admin, "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void lockError_namesUserHostPidOperationSinceAndExpiry() throws Exception {
        PostgresStateStore holder = store();
        try (StateStore.Held held = holder.lock("apply", Duration.ZERO)) {
            StateLockException busy = assertThrows(StateLockException.class,
                    () -> store().lock("plan", Duration.ZERO));
            String m = busy.getMessage();
            StateLock lock = held.lock();
            assertTrue(m.contains("ID:        " + lock.id()), m);
            assertTrue(m.contains("Operation: apply"), m);
            assertTrue(m.contains("Who:       " + System.getProperty("user.name") + "@" + lock.host()), m);
            assertTrue(m.contains("PID:       " + ProcessHandle.current().pid()), m);
            assertTrue(m.contains("Created:   " + lock.created()), m);
            assertTrue(m.contains("Expires:   "), m);
        }
    }

    @Test
    void aDeadHoldersLease_expires_andAWaitingRunTakesIt() throws Exception {
        PostgresStateStore store = store(Duration.ofSeconds(1));
        store.read();
        execute(store.location(), "INSERT INTO " + schema + ".certform_lock VALUES ('" + workspace + "', 'dead-run',"
                + " 'ci', 'runner-7', 999999, 'apply', clock_timestamp(), clock_timestamp(),"
                + " clock_timestamp() + interval '2 seconds')");
        StateLockException now = assertThrows(StateLockException.class, () -> store.lock("apply", Duration.ZERO));
        assertTrue(now.getMessage().contains("ci@runner-7") && now.getMessage().contains("999999"), now.getMessage());
        Instant before = Instant.now();
        try (StateStore.Held taken = store.lock("apply", Duration.ofSeconds(20))) {
            assertNotEquals("dead-run", taken.lock().id());
            assertTrue(Duration.between(before, Instant.now()).toMillis() >= 1000, "waited for the expiry");
        }
    }

    /**
     * The holder's heartbeat beats when the test lets it (its sleeper waits for the test), and the lease's length
     * passes by moving the lease's times back by one length, as the server's clock moving on would: after each
     * length, expired on the server, the lease is still the holder's because the beat renewed it.
     */
    @Test
    void theHeartbeat_keepsALiveHoldersLease_pastItsLength() throws Exception {
        Duration lease = Duration.ofSeconds(30);
        Beats beats = new Beats();
        PostgresStateStore holder = store(TestPostgres.location(schema, workspace).withLease(lease), beats);
        StateStore.Held held = holder.lock("apply", Duration.ZERO);
        Duration every = beats.awaitWaiting();
        assertTrue(every.compareTo(lease) < 0, "a beat comes within the lease's length, not every " + every);
        for (int lengths = 1; lengths <= 2; lengths++) {
            execute(holder.location(), "UPDATE " + schema + ".certform_lock SET created_at = created_at - interval"
                    + " '30 seconds', renewed_at = renewed_at - interval '30 seconds', expires_at = expires_at"
                    + " - interval '30 seconds' WHERE workspace = '" + workspace + "'");
            assertEquals(List.of(List.of("t")), query(holder.location(), "SELECT expires_at <= clock_timestamp()"
                    + " FROM " + schema + ".certform_lock WHERE workspace = '" + workspace + "'"),
                    "the lease's length has passed on the server's clock");
            beats.beat();
            beats.awaitWaiting(); // the beat is done: the heartbeat waits for the next
            StateLockException busy = assertThrows(StateLockException.class,
                    () -> store().lock("plan", Duration.ZERO), "the lease expired after " + lengths + " length(s)"
                            + " although its holder's heartbeat beat");
            assertEquals(held.lock().id(), busy.holder().id(), "still held after " + lengths + " lease length(s)");
        }
        held.close();
        store().lock("plan", Duration.ZERO).close();
    }

    /** A heartbeat's sleeper: each wait is reported, and lasts until the test lets one beat through. */
    private static final class Beats implements Sleeper {
        private final BlockingQueue<Duration> waits = new LinkedBlockingQueue<>();
        private final Semaphore beats = new Semaphore(0);

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            waits.put(duration);
            beats.acquire();
        }

        /** Waits until the heartbeat waits for its next beat; returns how long it asked to wait. */
        Duration awaitWaiting() throws InterruptedException {
            Duration asked = waits.poll(60, TimeUnit.SECONDS);
            assertNotNull(asked, "the heartbeat never waited for its next beat");
            return asked;
        }

        void beat() {
            beats.release();
        }
    }

    @Test
    void forceUnlock_breaksALease_andTheBrokenRunIsRefusedAtItsNextWrite() throws Exception {
        PostgresStateStore broken = store();
        StateStore.Held held = broken.lock("apply", Duration.ZERO);
        State base = broken.read();
        RunRecorder run = broken.record(base);
        run.intend(JournalRecord.Intent.bind(StateStoreContract.resource(1), null, Instant.now()));

        StateLockException wrongId = assertThrows(StateLockException.class, () -> store().forceUnlock("nope"));
        assertTrue(wrongId.getMessage().contains(held.lock().id()), wrongId.getMessage());
        assertEquals(held.lock().id(), store().forceUnlock(held.lock().id()).id());
        try (StateStore.Held other = store().lock("apply", Duration.ZERO)) {
            JournalFailure journal = assertThrows(JournalFailure.class,
                    () -> run.done(JournalRecord.Done.bound(StateStoreContract.resource(1))));
            assertTrue(journal.getMessage().contains("was broken (force-unlock) or expired"), journal.getMessage());
            StateException write = assertThrows(StateException.class,
                    () -> broken.write(base.next(List.of(), "1.0")));
            assertTrue(write.getMessage().contains("was broken"), write.getMessage());
            assertEquals(0, store().read().serial(), "nothing was written");
            assertEquals(1, store().journal().size(), "only the intent made before the lock was broken");
        }
        held.close();
    }

    @Test
    void theLease_isNoSessionLock() throws Exception {
        PostgresStateStore store = store();
        try (StateStore.Held held = store.lock("apply", Duration.ZERO)) {
            store.write(store.read().next(List.of(), "1.0"));
            assertEquals(List.of(List.of("0")), query(store.location(),
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"), "no advisory lock outlives a statement");
            assertEquals(List.of(List.of("0")), query(store.location(), "SELECT count(*) FROM pg_stat_activity"
                    + " WHERE application_name = 'certform' AND state LIKE 'idle in transaction%'"),
                    "no transaction is left open between statements");
        }
    }

    @Test
    void aStaleWriter_isRefused_evenThroughAnotherConnection() throws Exception {
        PostgresStateStore first = store();
        first.write(first.read().next(List.of(StateStoreContract.resource(1)), "1.0"));
        PostgresStateStore a = store();
        PostgresStateStore b = store();
        State readByA = a.read();
        State readByB = b.read();
        assertEquals(readByA.serial(), readByB.serial());
        State fromA = readByA.next(List.of(StateStoreContract.resource(2)), "1.0");
        a.write(fromA);
        StateConflictException refused = assertThrows(StateConflictException.class,
                () -> b.write(readByB.next(List.of(StateStoreContract.resource(3)), "1.0")));
        assertTrue(refused.getMessage().contains("another run wrote the state meanwhile"), refused.getMessage());
        assertEquals(fromA, store().read(), "the first writer's state stands");
    }

    @Test
    void stateVersions_areAppendOnly_inTheDatabase() throws Exception {
        PostgresStateStore store = store();
        store.write(store.read().next(List.of(), "1.0"));
        SQLException update = assertThrows(SQLException.class, () -> execute(store.location(), "UPDATE " + schema
                + ".certform_state SET resources = 5 WHERE workspace = '" + workspace + "'"));
        assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        assertThrows(SQLException.class, () -> execute(store.location(), "DELETE FROM " + schema
                + ".certform_state WHERE workspace = '" + workspace + "'"));
    }

    @Test
    void theInventory_holdsOneRowPerBindingOfTheCurrentState_andAnswersTheDocumentedQueries() throws Exception {
        PostgresStateStore store = store();
        ResourceState soon = withExpiry(StateStoreContract.resource(1), Instant.now().plus(Duration.ofDays(10)));
        ResourceState later = withExpiry(StateStoreContract.resource(2), Instant.now().plus(Duration.ofDays(400)));
        ResourceState gone = StateStoreContract.resource(3);
        State first = store.read().next(List.of(soon, later, gone), "1.0");
        store.write(first);
        store.write(first.next(List.of(soon, later), "1.0"));
        String ws = "'" + workspace + "'";
        assertEquals(List.of(List.of(soon.address(), "d1.example.com")), query(store.location(),
                "SELECT address, url_domain FROM " + schema + ".certform_binding WHERE workspace = " + ws
                        + " AND not_after < now() + interval '30 days' ORDER BY not_after"));
        assertEquals(List.of(List.of("d2.example.com")), query(store.location(), "SELECT url_domain FROM " + schema
                + ".certform_binding WHERE workspace = " + ws + " AND cert_sha256 = 'sha2' ORDER BY url_domain"));
        assertEquals(List.of(List.of("inst", "2")), query(store.location(), "SELECT instance_id, count(*) FROM "
                + schema + ".certform_binding WHERE workspace = " + ws + " GROUP BY instance_id"));
        assertEquals(List.of(List.of("2", "per-domain", "cert_name", "5a1")), query(store.location(),
                "SELECT state_serial, model, ssl_name, serial_number FROM " + schema + ".certform_binding WHERE"
                        + " workspace = " + ws + " AND address = '" + soon.address() + "'"));
    }

    @Test
    void theInventory_givesSharedAttachmentsTheirCertificatesFacts_soOneQueryFindsWhatExpires() throws Exception {
        PostgresStateStore store = store();
        String soon = Instant.now().plus(Duration.ofDays(5)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                .toString();
        ResourceState certificate = new ResourceState("wild", "wild", null, null, null, null, "c-1", "wild_2026",
                "global", null, "RSA", "sha-w", null, null, "abc", soon, "CA", null, null, List.of(), "shared");
        ResourceState attachment = new ResourceState("wild[a.example.com]", "wild", "inst", "g1", "d1",
                "a.example.com", "c-1", null, "global", null, null, null, null, null, null, null, null, null, null,
                null, "shared");
        store.write(store.read().next(List.of(certificate, attachment), "1.0"));
        String ws = "'" + workspace + "'";
        assertEquals(List.of(List.of("wild[a.example.com]", "shared", "abc", "wild_2026")), query(store.location(),
                "SELECT address, model, serial_number, ssl_name FROM " + schema + ".certform_binding WHERE workspace = "
                        + ws + " AND url_domain IS NOT NULL AND not_after < now() + interval '30 days'"));
    }

    private static ResourceState withExpiry(ResourceState r, Instant notAfter) {
        return new ResourceState(r.address(), r.certificate(), r.instanceId(), r.groupId(), r.domainId(),
                r.urlDomain(), r.sslId(), r.sslName(), r.type(), r.certificateInstanceId(), r.algorithmType(),
                r.certSha256(), r.chainSha256(), r.trustedRootCaSha256(), r.serialNumber(),
                notAfter.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString(), r.issuer());
    }

    @Test
    void aPassword_neverAppearsInMessagesOrDescriptions() {
        PostgresLocation location = PostgresLocation.resolve("jdbc:postgresql://127.0.0.1:1/test?password=s3cr3t-pw"
                + "&sslmode=disable", "certform", "ws", null, name -> null);
        PostgresStateStore store = store(location);
        StateException e = assertThrows(StateException.class, store::read);
        assertFalse(e.getMessage().contains("s3cr3t-pw"), e.getMessage());
        assertFalse(store.describe().contains("s3cr3t-pw"), store.describe());
        assertFalse(location.toString().contains("s3cr3t-pw"), location.toString());
        assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
    }

    /**
     * The run that settles another's journal judges "sent less than the settle window ago" on its own clock: an
     * intent written by a runner whose clock lags by an hour must not read as an hour old (its call could still land,
     * and would be sent again). The server's time of the record, as an age on this runner's clock, is used instead.
     */
    @Test
    void anIntentWrittenByARunnerWhoseClockLags_isAsOldAsTheServerSays_notAsItsClockSays() throws Exception {
        PostgresStateStore writer = store();
        Instant lagging = Instant.now().minus(Duration.ofHours(1));
        try (StateStore.Held held = writer.lock("apply", Duration.ZERO)) {
            RunRecorder run = writer.record(writer.read());
            run.intend(JournalRecord.Intent.bind(StateStoreContract.resource(1), null, lagging));
        }
        List<JournalRecord> journal = store().journal();
        assertEquals(1, journal.size());
        Instant at = ((JournalRecord.Intent) journal.get(0)).at();
        assertTrue(Duration.between(at, Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0,
                "sent moments ago, not at " + at);
        Instant ahead = Instant.now().plus(Duration.ofHours(1));
        PostgresStateStore second = store();
        second.settle(second.read().next(List.of(), "1.0"), List.of(JournalRecord.Intent.bind(
                StateStoreContract.resource(2), null, ahead)));
        assertEquals(ahead, ((JournalRecord.Intent) store().journal().get(0)).at(),
                "a clock ahead only makes the settling run wait longer: the later time is kept");
    }

    /**
     * A server that stops answering (a network partition, a frozen host) must not hold a run forever: a statement
     * gives up after a bounded time (at least 10s, at least the lease's length), so a run stops as an interrupt
     * stops it, and Ctrl-C ends it; the next statement, once the server answers, reconnects.
     */
    @Test
    void aServerThatStopsAnswering_failsTheStatement_inBoundedTime_andTheStoreReconnectsAfterwards()
            throws Exception {
        PostgresLocation direct = TestPostgres.location(schema, workspace).withLease(Duration.ofSeconds(3));
        java.util.regex.Matcher server = java.util.regex.Pattern.compile("//([^/:]+):(\\d+)/")
                .matcher(direct.jdbcUrl());
        assertTrue(server.find(), direct.jdbcUrl());
        try (BlackHole hole = new BlackHole(server.group(1), Integer.parseInt(server.group(2)))) {
            PostgresLocation proxied = new PostgresLocation(direct.jdbcUrl().replace(server.group(0),
                    "//127.0.0.1:" + hole.port() + "/"), direct.user(), direct.password(), direct.schema(),
                    direct.workspace(), direct.lease());
            PostgresStateStore store = store(proxied);
            State first = store.read().next(List.of(StateStoreContract.resource(1)), "1.0");
            store.write(first);
            hole.frozen = true;
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Future<Object> write = pool.submit(() -> {
                    store.write(first.next(List.of(), "1.0"));
                    return null;
                });
                java.util.concurrent.ExecutionException failed = assertThrows(
                        java.util.concurrent.ExecutionException.class,
                        () -> write.get(40, java.util.concurrent.TimeUnit.SECONDS),
                        "a statement to a silent server ends within 40s");
                assertTrue(failed.getCause() instanceof StateException, String.valueOf(failed.getCause()));
            } finally {
                pool.shutdownNow();
            }
            hole.frozen = false;
            assertEquals(first, store.read(), "reconnected; the write that timed out did not land");
        }
    }

    /** A TCP proxy that, while frozen, forwards nothing in either direction and closes nothing. */
    private static final class BlackHole implements AutoCloseable {
        private final java.net.ServerSocket listener = new java.net.ServerSocket(0, 50,
                java.net.InetAddress.getLoopbackAddress());
        private final List<java.net.Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile boolean frozen;

        BlackHole(String host, int port) throws java.io.IOException {
            Thread accept = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        java.net.Socket client = listener.accept();
                        java.net.Socket upstream = new java.net.Socket(host, port);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            }, "black-hole-accept");
            accept.setDaemon(true);
            accept.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private void pump(java.net.Socket from, java.net.Socket to) {
            Thread t = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    var in = from.getInputStream();
                    var out = to.getOutputStream();
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        while (frozen) {
                            Thread.sleep(50); // what came in while frozen is never delivered
                            buffer = new byte[8192];
                            n = 0;
                        }
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (java.io.IOException | InterruptedException e) {
                    // a side closed: the other one follows at close()
                }
            }, "black-hole-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws java.io.IOException {
            listener.close();
            synchronized (sockets) {
                for (java.net.Socket socket : sockets) {
                    socket.close();
                }
            }
        }
    }

    /**
     * The password (here one holding '/' and '@', given in the URL's user info) is in no error: a database that does
     * not exist, a user without the right to create the schema, a busy lock, a force-unlock with the wrong id.
     */
    @Test
    void aPassword_isInNoErrorOfARealServer() throws Exception {
        String password = "Pw/9k+Q@zz";
        PostgresLocation admin = TestPostgres.location(schema, workspace);
        java.util.regex.Matcher server = java.util.regex.Pattern.compile("//([^/]+)/([^?]*)").matcher(admin.jdbcUrl());
        assertTrue(server.find(), admin.jdbcUrl());
        String role = "certform_nopriv_" + schema.substring(schema.length() - 6);
        execute(admin, "DO $$ BEGIN CREATE ROLE " + role + " LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$");
        List<String> messages = new ArrayList<>();
        PostgresLocation noDatabase = PostgresLocation.resolve("postgres://" + admin.user() + ":" + password + "@"
                + server.group(1) + "/no_such_database_" + role, schema, workspace, null, name -> null);
        messages.add(assertThrows(StateException.class, () -> store(noDatabase).read()).getMessage());
        PostgresLocation unprivileged = PostgresLocation.resolve("postgres://" + role + ":" + password + "@"
                + server.group(1) + "/" + server.group(2), "certform_denied_" + role.substring(role.length() - 6),
                workspace, null, name -> null);
        try {
            // a read creates nothing (no state yet); a writing run's first step creates the schema, and is refused
            assertEquals(0, store(unprivileged).read().serial());
            messages.add(assertThrows(StateException.class, () -> store(unprivileged).checkWritable()).getMessage());
        } finally {
            opened.forEach(PostgresStateStore::close);
            execute(admin, "DROP ROLE IF EXISTS " + role);
        }
        PostgresLocation right = PostgresLocation.resolve("postgres://" + admin.user() + ":" + password + "@"
                + server.group(1) + "/" + server.group(2), schema, workspace, null, name -> null);
        try (StateStore.Held held = store(right).lock("apply", Duration.ZERO)) {
            messages.add(assertThrows(StateLockException.class, () -> store(right).lock("plan", Duration.ZERO))
                    .getMessage());
            messages.add(assertThrows(StateLockException.class, () -> store(right).forceUnlock("wrong"))
                    .getMessage());
        }
        messages.add(store(right).describe());
        for (String message : messages) {
            for (String part : List.of(password, "9k+Q", "Pw/", "Q@zz")) {
                assertFalse(message.contains(part), message);
            }
        }
        assertTrue(messages.get(0).contains("no_such_database"), messages.get(0));
        assertTrue(messages.get(1).contains("lacks a privilege"), messages.get(1));
    }

    /** A schema a newer certform migrated is refused, naming both versions, and nothing in it is changed. */
    @Test
    void aSchemaAtANewerVersion_isRefused_andLeftAsItIs() throws Exception {
        String newer = TestPostgres.freshSchema();
        PostgresLocation location = TestPostgres.location(newer, workspace);
        try {
            PostgresStateStore first = store(location);
            first.write(first.read().next(List.of(StateStoreContract.resource(1)), "1.0"));
            execute(location, "INSERT INTO " + newer + ".certform_schema (version) VALUES (" + (PostgresSchema.CURRENT
                    + 1) + ")");
            PostgresStateStore later = store(location);
            StateException read = assertThrows(StateException.class, later::read);
            assertTrue(read.getMessage().contains("schema version " + (PostgresSchema.CURRENT + 1) + ", written by a"
                    + " newer certform; this one knows version " + PostgresSchema.CURRENT), read.getMessage());
            assertThrows(StateException.class, () -> store(location).write(State.empty("1.0")));
            assertThrows(StateLockException.class, () -> store(location).lock("apply", Duration.ZERO));
            assertEquals(List.of(List.of("1", "1")), query(location, "SELECT serial, resources FROM " + newer
                    + ".certform_state"), "nothing written");
        } finally {
            TestPostgres.drop(location);
        }
    }

    /** Eight runs race for an expired lease, each through its own connection: exactly one takes it. */
    @Test
    void eightRunsRacingForAnExpiredLease_exactlyOneTakesIt() throws Exception {
        List<PostgresStateStore> racers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            PostgresStateStore racer = store();
            racer.holder(); // connected and the schema checked before the start
            racers.add(racer);
        }
        execute(racers.get(0).location(), "INSERT INTO " + schema + ".certform_lock VALUES ('" + workspace + "',"
                + " 'dead', 'ci', 'gone', 1, 'apply', now() - interval '2 min', now() - interval '1 min',"
                + " now() - interval '1 s')");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<StateStore.Held>> results = new ArrayList<>();
            for (PostgresStateStore racer : racers) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return racer.lock("apply", Duration.ZERO);
                    } catch (StateLockException busy) {
                        return null;
                    }
                }));
            }
            start.countDown();
            int winners = 0;
            for (Future<StateStore.Held> result : results) {
                winners += result.get() == null ? 0 : 1;
            }
            assertEquals(1, winners, "one holder at a time");
            assertNotEquals("dead", store().holder().orElseThrow().id(), "the expired lease was taken over");
        } finally {
            pool.shutdownNow();
        }
    }
}
