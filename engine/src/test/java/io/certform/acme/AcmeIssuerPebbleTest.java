package io.certform.acme;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issuance against a real pebble that validates dns-01 through the simulator's authoritative DNS server, the
 * records made by the Huawei Cloud DNS solver on the simulator's record-set API. Skipped with the reason without
 * pebble; failed then when CERTFORM_PEBBLE_REQUIRED=1.
 */
class AcmeIssuerPebbleTest {

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

    static List<String> sans(X509Certificate certificate) throws Exception {
        List<String> names = new ArrayList<>();
        certificate.getSubjectAlternativeNames().forEach(n -> names.add((String) n.get(1)));
        return new ArrayList<>(new TreeSet<>(names));
    }

    @Test
    void issuesAWildcardAndItsApex_throughHuaweiDns_journallingEachStepInOrder_andLeavesNoRecord() throws Exception {
        InMemoryAcmeKeys keys = new InMemoryAcmeKeys();
        AcmeIssuer issuer = new AcmeIssuer(keys.accountKeys(), keys.orderKeys(), AcmePebbleFixture.FAST);
        RecordingJournal journal = new RecordingJournal();
        AcmeRequest request = fixture.request(KeyType.EC256, "*.example.com", "example.com");

        Issued issued = issuer.issue(request, fixture.huaweiSolver(), journal, Resume.none());

        assertEquals(List.of("*.example.com", "example.com"), sans(issued.leaf()));
        assertArrayEquals(issued.keyPair().getPublic().getEncoded(), issued.leaf().getPublicKey().getEncoded());
        assertTrue(issued.leaf().getPublicKey() instanceof ECPublicKey);
        assertTrue(issued.chain().size() >= 2, "leaf and intermediate: " + issued.chain().size());
        assertEquals(issued.chain().get(1).getSubjectX500Principal(), issued.leaf().getIssuerX500Principal());
        // the CA's order of authorizations: both presented (each before it is made), both cleaned, then finalized
        assertEquals(6, journal.events.size(), journal.events.toString());
        assertEquals("orderCreated", journal.events.get(0));
        assertEquals(java.util.Set.of("challengePresenting *.example.com", "challengePresenting example.com"),
                java.util.Set.copyOf(journal.events.subList(1, 3)));
        assertEquals(java.util.Set.of("challengeCleaned *.example.com", "challengeCleaned example.com"),
                java.util.Set.copyOf(journal.events.subList(3, 5)));
        assertEquals("finalized", journal.events.get(5));
        assertTrue(fixture.txtRecords().isEmpty(), fixture.txtRecords().toString());
        assertEquals(issued.orderUrl(), journal.resume().orderUrl());
        assertEquals(1, fixture.orders(request, keys.accountKeys().find(request.directoryUrl()).orElseThrow()));
        assertFalse(issued.toString().contains("PRIVATE"), issued.toString());
    }

    @Test
    void anRsaKeyOfTheRequestedSize_andTheSameAccountForASecondCertificate() throws Exception {
        InMemoryAcmeKeys keys = new InMemoryAcmeKeys();
        AcmeIssuer issuer = new AcmeIssuer(keys.accountKeys(), keys.orderKeys(), AcmePebbleFixture.FAST);
        Issued first = issuer.issue(fixture.request(KeyType.RSA3072, "api.example.org"), fixture.huaweiSolver(),
                IssueJournal.NONE, Resume.none());
        assertEquals(3072, ((RSAPublicKey) first.leaf().getPublicKey()).getModulus().bitLength());
        Issued second = issuer.issue(fixture.request(KeyType.EC384, "www.example.org"), fixture.huaweiSolver(),
                IssueJournal.NONE, Resume.none());
        assertEquals(384, ((ECPublicKey) second.leaf().getPublicKey()).getParams().getCurve().getField().getFieldSize());
        AcmeRequest request = fixture.request(KeyType.EC256, "x.example.org");
        assertEquals(2, fixture.orders(request, keys.accountKeys().find(request.directoryUrl()).orElseThrow()),
                "one account, its two orders");
    }
}
