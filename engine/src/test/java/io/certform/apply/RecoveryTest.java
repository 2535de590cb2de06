package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.AddCertificateRequest;
import io.certform.api.CertificateBinding;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.JournalRecord;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run that died left in the journal, resolved against the remote side. */
class RecoveryTest {

    @TempDir
    Path dir;

    private static final Instant AT = Instant.parse("2026-11-28T00:00:00Z");
    /** Long after the calls were sent: every unsettled call is past its settle window. */
    private static final Clock CLOCK = Clock.fixed(AT.plusSeconds(3600), ZoneOffset.UTC);
    private static final Duration WINDOW = Duration.ofMinutes(3);

    private static ResourceState planned(String address, String domainId, String name, TestCertificates.Issued cert) {
        return new ResourceState(address, "c", "inst1", "grp1", domainId, null, null, name, "global", null, "RSA",
                "a".repeat(64), null, null, cert.serialHex(),
                cert.certificate().getNotAfter().toInstant().toString(), "CA");
    }

    @Test
    void replaysResults_adoptsWhatLanded_voidsWhatDidNot_andNeverPosts() throws Exception {
        TestCertificates.Issued cert = TestCertificates.authority("Recovery CA").issue("*.example.com");
        World world = new World();
        for (int i = 1; i <= 4; i++) {
            world.addDomain("inst1", "grp1", "d" + i, "a" + i + ".example.com");
        }
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                    new Endpoint(simulator.baseUrl(), "p", Service.ROMA));
            // d1: the call landed before the run died (its answer never recorded)
            CertificateBinding landed = client.addCertificate(new DomainLocation("inst1", "grp1", "d1"),
                    new AddCertificateRequest("cert_one", cert.chainPem(), new Secret(cert.privateKeyPem(), "k", null),
                            "global", null, null));
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            State base = State.empty("t").next(List.of(), "t");
            store.write(base);
            try (RunRecorder run = store.record(base)) {
                run.intend(JournalRecord.Intent.bind(planned("c[a1]", "d1", "cert_one", cert), null, AT));
                run.intend(JournalRecord.Intent.bind(planned("c[a2]", "d2", "cert_one", cert), null, AT));
                ResourceState done = new ResourceState("c[a3]", "c", "inst1", "grp1", "d3", "a3.example.com", "x3",
                        "cert_one", "global", null, "RSA", "a".repeat(64), null, null, cert.serialHex(),
                        "2031-01-01T00:00:00Z", "CA");
                run.intend(JournalRecord.Intent.bind(planned("c[a3]", "d3", "cert_one", cert), null, AT));
                run.done(JournalRecord.Done.bound(done));
            } // closed without finishing: as if the run died
            long createdBefore = simulator.world().certificatesCreated();
            Recovery.Outcome outcome = Recovery.recover(store, store.journal(), client,
                    Backoff.DEFAULT, d -> { }, CLOCK, WINDOW, "t");
            assertEquals(new Recovery.Outcome(1, 1, 1, 0, List.of()), outcome);
            State state = store.read();
            assertEquals(List.of("c[a1]", "c[a3]"), state.resources().stream().map(ResourceState::address).toList());
            assertEquals(landed.sslId(), state.resource("c[a1]").orElseThrow().sslId(), "adopted, not sent again");
            assertEquals(createdBefore, simulator.world().certificatesCreated(), "recovery sends no POST");
            assertFalse(Files.exists(store.journalFile()), "the journal is gone once resolved");
            assertEquals(Recovery.Outcome.none(), Recovery.recover(store, store.journal(), client,
                    Backoff.DEFAULT, d -> { }, CLOCK, WINDOW, "t"));
        }
    }

    @Test
    void unbindIntent_isDoneWhenTheCertificateIsGone_elseVoid() throws Exception {
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com");
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                    new Endpoint(simulator.baseUrl(), "p", Service.ROMA));
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            ResourceState recorded = new ResourceState("c[a1]", "c", "inst1", "grp1", "d1", "a1.example.com", "gone1",
                    "n", "global", null, "RSA", "a".repeat(64), null, null, "1", "2031-01-01T00:00:00Z", "CA");
            State base = State.empty("t").next(List.of(recorded), "t");
            store.write(base);
            try (RunRecorder run = store.record(base)) {
                run.intend(JournalRecord.Intent.unbind(recorded, AT));
            }
            Recovery.Outcome outcome = Recovery.recover(store, store.journal(), client,
                    Backoff.DEFAULT, d -> { }, CLOCK, WINDOW, "t");
            assertEquals(1, outcome.unbound());
            assertTrue(store.read().resources().isEmpty());
        }
    }

    @Test
    void youngUnsettledCall_isWaitedFor_andAdoptedWhenItLands_neverVoidedEarly() throws Exception {
        TestCertificates.Issued cert = TestCertificates.authority("Young CA").issue("*.example.com");
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com");
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                    new Endpoint(simulator.baseUrl(), "p", Service.ROMA));
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            State base = State.empty("t").next(List.of(), "t");
            store.write(base);
            Instant sent = Instant.now();
            try (RunRecorder run = store.record(base)) {
                run.intend(JournalRecord.Intent.bind(planned("c[a1]", "d1", "cert_one", cert), null, sent));
            }
            // the call lands while recovery is looking (as a slow server's write would): the first sleep lets it
            List<Duration> slept = new java.util.ArrayList<>();
            Recovery.Outcome outcome = Recovery.recover(store, store.journal(), client, Backoff.DEFAULT, d -> {
                if (slept.isEmpty()) {
                    client.addCertificate(new DomainLocation("inst1", "grp1", "d1"), new AddCertificateRequest(
                            "cert_one", cert.chainPem(), new Secret(cert.privateKeyPem(), "k", null), "global", null,
                            null));
                }
                slept.add(d);
            }, Clock.systemUTC(), WINDOW, "t");
            assertEquals(1, outcome.adopted(), outcome.toString());
            assertEquals(0, outcome.voided(), "a call younger than the settle window is never voided");
            assertFalse(slept.isEmpty(), "it looked again rather than deciding at once");
            assertEquals(1, simulator.world().certificatesCreated());
        }
    }
}
