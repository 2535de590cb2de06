package io.certform.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.dns.HuaweiDnsSolver;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed at each step of issuance, then a new issuer resuming from what the killed run recorded: one order
 * in all (the account's orders at the CA, and no orderCreated in the second run), and no challenge record left in
 * the zone. The kill is played by the journal ({@link RecordingJournal#killAt}): the step is recorded, then the
 * "process" is dead, so nothing more is done or recorded, not even the cleanup of the records it presented.
 */
class AcmeResumePebbleTest {

    @TempDir
    Path dir;
    private AcmePebbleFixture fixture;

    @BeforeEach
    void start() throws Exception {
        fixture = AcmePebbleFixture.start(dir, b -> b);
    }

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aRunKilledAtEachStep_isResumedWithoutASecondOrder_andLeavesNoChallengeRecord() throws Exception {
        HuaweiDnsSolver dns = fixture.huaweiSolver();
        AcmeRequest request = fixture.request(KeyType.EC256, "*.example.com", "example.com");

        RecordingJournal whole = new RecordingJournal();
        InMemoryAcmeKeys wholeKeys = new InMemoryAcmeKeys();
        new AcmeIssuer(wholeKeys.accountKeys(), AcmePebbleFixture.killable(wholeKeys.orderKeys(), whole),
                AcmePebbleFixture.FAST).issue(request, AcmePebbleFixture.killable(dns, whole), whole, Resume.none());
        List<String> steps = whole.events;
        assertEquals(13, steps.size(), "order, 2 x (journal, present, visible, cleanup, journal), key, finalized: "
                + steps);

        List<String> resumed = new ArrayList<>();
        for (int k = 1; k <= steps.size(); k++) {
            InMemoryAcmeKeys keys = new InMemoryAcmeKeys(); // a fresh account: its orders are this run's alone
            RecordingJournal killed = new RecordingJournal().killAt(k);
            AcmeIssuer first = new AcmeIssuer(keys.accountKeys(), AcmePebbleFixture.killable(keys.orderKeys(),
                    killed), AcmePebbleFixture.FAST);
            assertThrows(RecordingJournal.Killed.class, () -> first.issue(request,
                    AcmePebbleFixture.killable(dns, killed), killed, Resume.none()));
            String where = "killed after step " + k + " (" + killed.events.get(k - 1) + ")";
            Resume resume = killed.resume();
            for (var set : fixture.world.dns().recordSets(null, null, "TXT")) {
                for (String value : set.records()) {
                    assertTrue(resume.presented().stream().anyMatch(r -> r.record().equals(set.name())
                            && ("\"" + r.value() + "\"").equals(value)), where + ": " + set.name() + " " + value
                            + " is in the zone, and the journal does not know it: " + resume.presented());
                }
            }

            RecordingJournal second = new RecordingJournal();
            Issued issued = new AcmeIssuer(keys.accountKeys(), keys.orderKeys(), AcmePebbleFixture.FAST)
                    .issue(request, dns, second, resume);

            KeyPair account = keys.accountKeys().find(request.directoryUrl()).orElseThrow();
            assertEquals(1, fixture.orders(request, account), where + ": the CA holds one order of the account");
            assertEquals(0, second.count("orderCreated"), where + ": " + second.events);
            assertEquals(resume.orderUrl(), issued.orderUrl(), where);
            assertTrue(fixture.txtRecords().isEmpty(), where + ": left " + fixture.txtRecords());
            assertArrayEquals(issued.keyPair().getPublic().getEncoded(), issued.leaf().getPublicKey().getEncoded(),
                    where);
            assertEquals(resume.presented().size(), second.count("challengeCleaned") - second.count(
                    "challengePresenting"), where + ": the records the killed run left are removed and recorded so");
            resumed.add(killed.events.get(k - 1) + " -> " + second.events);
        }
        assertEquals(steps.size(), resumed.size(), String.join("\n", resumed));
    }

    @Test
    void anOrderTheCaNoLongerHasOrWhoseNamesChanged_isReplacedByOneNewOrder() throws Exception {
        InMemoryAcmeKeys keys = new InMemoryAcmeKeys();
        AcmeIssuer issuer = new AcmeIssuer(keys.accountKeys(), keys.orderKeys(), AcmePebbleFixture.FAST);
        AcmeRequest before = fixture.request(KeyType.EC256, "old.example.com");
        RecordingJournal killed = new RecordingJournal().killAt(1);
        assertThrows(RecordingJournal.Killed.class, () -> issuer.issue(before, fixture.huaweiSolver(), killed,
                Resume.none()));

        AcmeRequest after = fixture.request(KeyType.EC256, "new.example.com");
        RecordingJournal second = new RecordingJournal();
        Issued issued = issuer.issue(after, fixture.huaweiSolver(), second, killed.resume());
        assertEquals(1, second.count("orderCreated"), second.events.toString());
        assertTrue(!issued.orderUrl().equals(killed.resume().orderUrl()));
        assertEquals(List.of("new.example.com"), AcmeIssuerPebbleTest.sans(issued.leaf()));
    }
}
