package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.api.CertificateForm;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.ManagedCertificates;
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
import io.certform.state.JournalRecord.Op;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import okhttp3.Interceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order of the shared model's calls ({@link SharedCalls}), against the embedded simulator: which calls are sent,
 * and what is journalled, for a delete that must not happen, a delete of a certificate already gone, a detach
 * refused for a domain that is gone, and an attach of many domains in one call.
 */
class SharedCallsOrderTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Order CA").issue("*.example.com");

    private Simulator simulator;
    private GatewayClient client;
    private final List<String> sent = Collections.synchronizedList(new ArrayList<>());
    private final RecordingRecorder journal = new RecordingRecorder();
    private SharedCalls calls;

    @BeforeEach
    void start() throws Exception {
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com");
        world.addDomain("inst1", "grp1", "d2", "a2.example.com");
        world.addDomain("inst1", "grp2", "d3", "a3.example.com");
        simulator = Simulator.start(world, SimulatorOptions.defaults(), 0);
        TokenAuth auth = new TokenAuth("t");
        Interceptor writes = chain -> {
            if (!chain.request().method().equals("GET")) {
                sent.add(chain.request().method() + " " + chain.request().url().encodedPath());
            }
            return auth.intercept(chain);
        };
        client = new GatewayClient(TestHttp.client(writes, Duration.ofSeconds(5)),
                new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
        RemoteDirectory remote = new RemoteDirectory(client, "t", RemoteDirectory.Reads.DIRECT);
        Retrier retrier = new Retrier(new Backoff(3, Duration.ofMillis(1), Duration.ofMillis(1)), d -> { },
                new Random(1), new ConcurrencyLimiter(2), null);
        calls = new SharedCalls(new CallProtocol(client, remote, retrier, CLOCK, d -> { }, Duration.ofSeconds(30),
                (change, attempt, error, delay) -> { }), remote, journal);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    /** A shared certificate at the gateway, as recorded. */
    private ResourceState certificate() {
        String id = client.createCertificate(new CertificateForm("wild_2026", CERT.chainPem(),
                new Secret(CERT.privateKeyPem(), "k", null), "global", null, null, "RSA", null, null)).id();
        sent.clear();
        return new ResourceState("wild", "wild", null, null, null, null, id, "wild_2026", "global", null, "RSA",
                "a".repeat(64), null, null, CERT.serialHex(), CERT.certificate().getNotAfter().toInstant().toString(),
                "CA");
    }

    private void attach(String id, String... names) {
        for (String name : names) {
            client.attachDomains(id, List.of(new ManagedCertificates.DomainTarget(name, List.of("inst1"), false)));
        }
        sent.clear();
    }

    /** The attachment of the certificate {@code id} to one domain, as recorded. */
    private static ResourceState attachment(String id, String group, String domainId, String name) {
        return new ResourceState("wild[" + name + "]", "wild", "inst1", group, domainId, name, id, null, "global",
                null, null, null, null, null, null, null, null);
    }

    private static ResourceChange change(ResourceState before) {
        return new ResourceChange(before.address(), Action.DELETE, Set.of(Reason.REMOVED_FROM_MANIFEST), before,
                null);
    }

    private static List<String> addresses(List<ResourceChange> changes) {
        return changes.stream().map(ResourceChange::address).toList();
    }

    @Test
    void aCertificateStillAttachedToADomain_isNotDeleted_andNothingIsSentOrJournalled() throws Exception {
        ResourceState wild = certificate();
        attach(wild.sslId(), "a1.example.com");
        ApiException refused = assertThrows(ApiException.class, () -> calls.delete(change(wild), wild));
        assertEquals("CERTFORM.ATTACHED", refused.errorCode());
        assertTrue(refused.getMessage().contains("still attached to 1 domain(s) certform did not attach or could not"
                + " detach: a1.example.com (d1)"), refused.getMessage());
        assertEquals(List.of(), sent);
        assertEquals(List.of(), journal.intents);
        assertEquals(List.of(), journal.done);
        assertEquals(1, simulator.world().managedCertificateCount());
    }

    @Test
    void aCertificateAlreadyGone_isRecordedDeleted_withoutACall() throws Exception {
        ResourceState wild = certificate();
        client.deleteManagedCertificate(wild.sslId());
        sent.clear();
        calls.delete(change(wild), wild);
        assertEquals(List.of(), sent, "nothing to delete");
        assertEquals(List.of(), journal.intents, "no call, no intent");
        assertEquals(List.of(JournalRecord.Done.shared(Op.DELETE_CERTIFICATE, wild, null)), journal.done);
    }

    @Test
    void aCertificateNothingIsAttachedTo_isDeletedInOneCall_journalledFirst() throws Exception {
        ResourceState wild = certificate();
        calls.delete(change(wild), wild);
        assertEquals(1, sent.size(), sent.toString());
        assertTrue(sent.get(0).startsWith("DELETE "), sent.toString());
        assertEquals(List.of(JournalRecord.Intent.shared(Op.DELETE_CERTIFICATE, wild, wild.sslId(), NOW)),
                journal.intents);
        assertEquals(List.of(JournalRecord.Done.shared(Op.DELETE_CERTIFICATE, wild, null)), journal.done);
        assertEquals(0, simulator.world().managedCertificateCount());
    }

    @Test
    void anAttachOfManyDomains_isOneCall_withAnIntentPerDomain_andEachRecorded() throws Exception {
        ResourceState wild = certificate();
        List<ResourceChange> batch = new ArrayList<>();
        Map<ResourceChange, ResourceState> planned = new IdentityHashMap<>();
        for (ResourceState a : List.of(attachment(wild.sslId(), "grp1", "d1", "a1.example.com"),
                attachment(wild.sslId(), "grp1", "d2", "a2.example.com"))) {
            ResourceChange c = new ResourceChange(a.address(), Action.CREATE, Set.of(Reason.NOT_IN_STATE), null,
                    null);
            batch.add(c);
            planned.put(c, a);
        }
        SharedCalls.Batch result = calls.attach(wild.sslId(), batch, planned);
        assertEquals(addresses(batch), addresses(result.settled()));
        assertEquals(List.of(), result.unknown());
        assertEquals(1, sent.size(), "one call for the batch: " + sent);
        assertEquals(List.of("wild[a1.example.com]", "wild[a2.example.com]"), journal.intents.stream()
                .map(JournalRecord.Intent::address).toList());
        assertTrue(journal.intents.stream().allMatch(i -> i.op() == Op.ATTACH && NOW.equals(i.at())));
        assertEquals(List.of(Op.ATTACH, Op.ATTACH), journal.done.stream().map(JournalRecord.Done::op).toList());
        for (World.DomainView d : simulator.world().domains()) {
            assertEquals(!d.domainId().equals("d3"), d.attachedIds().contains(wild.sslId()), d.domainId());
        }
    }

    @Test
    void aDetachRefusedForADomainThatIsGone_recordsThatOne_andDetachesTheOthersWithoutIt() throws Exception {
        ResourceState wild = certificate();
        attach(wild.sslId(), "a1.example.com", "a3.example.com");
        ResourceState one = attachment(wild.sslId(), "grp1", "d1", "a1.example.com");
        ResourceState three = attachment(wild.sslId(), "grp2", "d3", "a3.example.com");
        simulator.world().removeGroup("inst1", "grp2"); // a3.example.com is gone, with its attachment
        List<ResourceChange> batch = List.of(change(one), change(three));
        Map<ResourceChange, ResourceState> recorded = new IdentityHashMap<>();
        recorded.put(batch.get(0), one);
        recorded.put(batch.get(1), three);

        SharedCalls.Batch result = calls.detach(wild.sslId(), batch, recorded);

        assertEquals(List.of("wild[a3.example.com]", "wild[a1.example.com]"), addresses(result.settled()),
                "the gone domain first, then the one detached again");
        assertEquals(List.of(), result.unknown());
        assertEquals(2, sent.size(), "refused as a whole, then sent again without the gone domain: " + sent);
        assertEquals(List.of("wild[a1.example.com]", "wild[a3.example.com]", "wild[a1.example.com]"),
                journal.intents.stream().map(JournalRecord.Intent::address).toList(),
                "the second call journals its own intent");
        assertEquals(List.of("wild[a3.example.com]", "wild[a1.example.com]"), journal.done.stream()
                .map(JournalRecord.Done::address).toList());
        assertEquals(List.of(), journal.voided, "neither call is voided: the refusal was about a gone domain");
        assertTrue(simulator.world().domains().stream().allMatch(d -> d.attachedIds().isEmpty()));
    }

    @Test
    void aFreeName_isTheDeclaredOne_orTheFirstNumberedOneNoDeposedCertificateHolds() {
        assertEquals("wild", SharedCalls.freeName("wild", Set.of()));
        assertEquals("wild_2", SharedCalls.freeName("wild", Set.of("wild")));
        assertEquals("wild_3", SharedCalls.freeName("wild", Set.of("wild", "wild_2")));
        String fifty = "n".repeat(50);
        assertEquals("n".repeat(48) + "_2", SharedCalls.freeName(fifty, Set.of(fifty)), "at most 50 characters");
    }
}
