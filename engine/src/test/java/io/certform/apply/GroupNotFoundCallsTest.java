package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.AddCertificateRequest;
import io.certform.api.ApiException;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.plan.Action;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.remote.RemoteDirectory;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.JournalRecord;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A group that answers 404 {@code APIG.3001} says nothing about whether a call on one of its domains took effect:
 * recovery keeps such calls open (and does not wait out the settle window for an answer that will not change), and a
 * removal answered "group not found" is a failure, never a certificate already gone.
 */
class GroupNotFoundCallsTest {

    private static final Instant AT = Instant.parse("2026-11-28T00:00:00Z");
    /** Long after the calls were sent: every unsettled call is past its settle window. */
    private static final Clock CLOCK = Clock.fixed(AT.plusSeconds(3600), ZoneOffset.UTC);
    private static final Duration WINDOW = Duration.ofMinutes(3);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Group 404 CA")
            .issue("*.example.com");

    @TempDir
    Path dir;

    private static World world() {
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com");
        world.addDomain("inst1", "grp1", "d2", "a2.example.com");
        return world;
    }

    private static GatewayClient client(Simulator simulator) {
        return new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
    }

    private static ResourceState binding(String address, String domainId, String sslId) {
        return new ResourceState(address, "c", "inst1", "grp1", domainId, domainId + ".example.com", sslId,
                "cert_one", "global", null, "RSA", "a".repeat(64), null, null, CERT.serialHex(),
                CERT.certificate().getNotAfter().toInstant().toString(), "CA");
    }

    private static String bind(GatewayClient client, String domainId) {
        return client.addCertificate(new DomainLocation("inst1", "grp1", domainId), new AddCertificateRequest(
                "cert_one", CERT.chainPem(), new Secret(CERT.privateKeyPem(), "k", null), "global", null, null))
                .sslId();
    }

    @Test
    void openCallsInAGroupThatAnswers404_stayOpen_theStateKeepsItsBinding_andRecoveryDoesNotWait()
            throws Exception {
        try (Simulator simulator = Simulator.start(world(), SimulatorOptions.defaults(), 0)) {
            GatewayClient client = client(simulator);
            // d1: recorded, and its removal was sent when the run died; d2: its bind landed, never recorded
            ResourceState recorded = binding("c[a1]", "d1", bind(client, "d1"));
            bind(client, "d2");
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            State base = State.empty("t").next(List.of(recorded), "t");
            store.write(base);
            try (RunRecorder run = store.record(base)) {
                run.intend(JournalRecord.Intent.unbind(recorded, AT));
                run.intend(JournalRecord.Intent.bind(binding("c[a2]", "d2", null), null, AT));
            } // closed without finishing: as if the run died
            simulator.world().removeGroup("inst1", "grp1");

            List<Duration> slept = new ArrayList<>();
            Recovery.Outcome outcome = Recovery.recover(store, store.journal(), client, Backoff.DEFAULT, slept::add,
                    CLOCK, WINDOW, "t");

            assertEquals(List.of(recorded), store.read().resources(), "a group that answers 404 was read as the"
                    + " removal having taken effect: " + outcome);
            assertEquals(0, outcome.voided() + outcome.unbound() + outcome.adopted(), outcome.toString());
            assertEquals(2, outcome.open().size(), outcome.toString());
            for (String open : outcome.open()) {
                assertTrue(open.contains("the API group grp1 does not exist in instance inst1 at "
                        + simulator.baseUrl() + ", project proj1"), open);
            }
            assertEquals(List.of("c[a1]", "c[a2]"), JournalRecord.openIntents(store.journal()).stream()
                    .map(JournalRecord.Intent::address).toList(), "both calls stay open for the next run");
            assertEquals(List.of(), slept, "the group's 404 will not change within the settle window: no wait");
        }
    }

    @Test
    void aRemovalAnsweredGroupNotFound_isAFailure_neverACertificateAlreadyGone() throws Exception {
        try (Simulator simulator = Simulator.start(world(), SimulatorOptions.defaults(), 0)) {
            GatewayClient client = client(simulator);
            ResourceState recorded = binding("c[a1]", "d1", bind(client, "d1"));
            simulator.world().removeGroup("inst1", "grp1");

            Retrier retrier = new Retrier(new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(1)), d -> { },
                    new Random(1), new ConcurrencyLimiter(1), null);
            DomainCalls calls = new DomainCalls(client, new RemoteDirectory(client, "t", RemoteDirectory.Reads.DIRECT),
                    retrier, CLOCK, d -> { }, WINDOW, (change, attempt, error, delay) -> { });
            RecordingRecorder journal = new RecordingRecorder();
            ResourceChange removal = new ResourceChange("c[a1]", Action.DELETE, Set.of(Reason.DESTROY_REQUESTED),
                    recorded, null);

            ApiException refused = assertThrows(ApiException.class, () -> calls.unbind(removal, recorded, journal),
                    () -> "a DELETE answered \"group not found\" was counted as done: " + journal.done);
            assertEquals("APIG.3001", refused.errorCode());
            assertEquals(List.of(), journal.done, "nothing is recorded as removed");
            assertEquals(List.of("c[a1]"), journal.voided, "the intent is closed: the call did not happen");
        }
    }

}
