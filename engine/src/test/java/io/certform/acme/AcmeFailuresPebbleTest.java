package io.certform.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Secret;
import io.certform.dns.Dns01Solver;
import io.certform.dns.ExecSolver;
import io.certform.dns.HuaweiDnsSolver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What goes wrong, and the other paths, against pebble: a failed challenge (value wrong, record absent) named with
 * what the name servers answered; external account binding required, refused and accepted; badNonce retried;
 * the exec hook; the preferred chain.
 */
class AcmeFailuresPebbleTest {

    @TempDir
    Path dir;

    private static AcmeIssuer issuer(InMemoryAcmeKeys keys) {
        return new AcmeIssuer(keys.accountKeys(), keys.orderKeys(), AcmePebbleFixture.FAST);
    }

    /** A solver that publishes {@code published} (null: nothing) instead of the challenge's value. */
    private static Dns01Solver publishing(HuaweiDnsSolver inner, String published, List<String> resolvers) {
        return new Dns01Solver() {
            @Override
            public Challenge present(String domain, String value) {
                if (published == null) {
                    return new Challenge(domain, Dns01Solver.recordName(domain), value, null);
                }
                Challenge made = inner.present(domain, published);
                return new Challenge(domain, made.record(), value, made.zone());
            }

            @Override
            public void awaitVisible(Challenge challenge, Duration limit) {
            }

            @Override
            public void cleanup(Challenge challenge) {
                if (published != null) {
                    inner.cleanup(new Challenge(challenge.domain(), challenge.record(), published, challenge.zone()));
                }
            }

            @Override
            public List<String> nameServers(Challenge challenge) {
                return resolvers;
            }
        };
    }

    @Test
    void aWrongValue_failsNamingTheRecordAndWhatTheServersAnswered_andIsCleanedUp_thenARerunOrdersOnceMore()
            throws Exception {
        try (AcmePebbleFixture fixture = AcmePebbleFixture.start(dir, b -> b)) {
            InMemoryAcmeKeys keys = new InMemoryAcmeKeys();
            RecordingJournal failedRun = new RecordingJournal();
            AcmeRequest request = fixture.request(KeyType.EC256, "www.example.com");
            AcmeIssueException e = assertThrows(AcmeIssueException.class, () -> issuer(keys).issue(request,
                    publishing(fixture.huaweiSolver(), "not-the-digest", List.of(fixture.resolver())), failedRun,
                    Resume.none()));
            assertEquals(AcmeIssueException.Kind.CHALLENGE_FAILED, e.kind(), e.getMessage());
            assertEquals("_acme-challenge.www.example.com.", e.record());
            assertEquals(fixture.resolver() + " answered \"not-the-digest\"", e.answered());
            assertTrue(e.getMessage().contains("looked for the TXT record _acme-challenge.www.example.com.")
                    && e.getMessage().contains("the name servers answer: " + fixture.resolver()
                    + " answered \"not-the-digest\""), e.getMessage());
            assertTrue(fixture.txtRecords().isEmpty(), fixture.txtRecords().toString());

            // the recorded order is invalid now: the rerun orders once more, and only once
            RecordingJournal rerun = new RecordingJournal();
            Issued issued = issuer(keys).issue(request, fixture.huaweiSolver(), rerun, failedRun.resume());
            assertEquals(1, rerun.count("orderCreated"), rerun.events.toString());
            assertTrue(!issued.orderUrl().equals(failedRun.resume().orderUrl()));
            assertEquals(1, failedRun.count("orderCreated"), failedRun.events.toString());
        }
    }

    @Test
    void anAbsentRecord_failsNamingTheRecordAndTheServersNxdomain() throws Exception {
        try (AcmePebbleFixture fixture = AcmePebbleFixture.start(dir, b -> b)) {
            AcmeIssueException e = assertThrows(AcmeIssueException.class, () -> issuer(new InMemoryAcmeKeys()).issue(
                    fixture.request(KeyType.EC256, "api.example.org"), publishing(fixture.huaweiSolver(), null,
                            List.of(fixture.resolver())), IssueJournal.NONE, Resume.none()));
            assertEquals(AcmeIssueException.Kind.CHALLENGE_FAILED, e.kind(), e.getMessage());
            assertEquals("_acme-challenge.api.example.org.", e.record());
            assertEquals(fixture.resolver() + " answered NXDOMAIN", e.answered());
        }
    }

    @Test
    void externalAccountBinding_requiredRefusedAndAccepted_neverShowingTheHmacKey() throws Exception {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String hmac = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        new SecureRandom().nextBytes(raw);
        String wrong = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        try (AcmePebbleFixture fixture = AcmePebbleFixture.start(dir, b -> b.eab(Map.of("kid-1", hmac)))) {
            AcmeRequest request = fixture.request(KeyType.EC256, "eab.example.com");

            AcmeIssueException none = assertThrows(AcmeIssueException.class, () -> issuer(new InMemoryAcmeKeys())
                    .issue(request, fixture.huaweiSolver(), IssueJournal.NONE, Resume.none()));
            assertEquals(AcmeIssueException.Kind.EAB_REQUIRED, none.kind(), none.getMessage());

            AcmeIssueException refused = assertThrows(AcmeIssueException.class, () -> issuer(new InMemoryAcmeKeys())
                    .issue(request.withEab(new AcmeRequest.Eab("kid-1", new Secret(wrong, "env:EAB_HMAC", null))),
                            fixture.huaweiSolver(), IssueJournal.NONE, Resume.none()));
            assertEquals(AcmeIssueException.Kind.EAB_INVALID, refused.kind(), refused.getMessage());
            assertFalse(refused.getMessage().contains(wrong) || refused.getMessage().contains(hmac),
                    refused.getMessage());

            Issued issued = issuer(new InMemoryAcmeKeys()).issue(request.withEab(new AcmeRequest.Eab("kid-1",
                    new Secret(hmac, "env:EAB_HMAC", null))), fixture.huaweiSolver(), IssueJournal.NONE, Resume.none());
            assertEquals(List.of("eab.example.com"), AcmeIssuerPebbleTest.sans(issued.leaf()));
        }
    }

    @Test
    void badNonceIsRetried_whenTheCaRefusesThirtyPercentOfTheNonces_andItsTlsIsTrustedOnlyThroughTheBundle() throws Exception {
        try (AcmePebbleFixture fixture = AcmePebbleFixture.start(dir, b -> b.nonceReject(30))) {
            AcmeIssueException untrusted = assertThrows(AcmeIssueException.class, () -> issuer(new InMemoryAcmeKeys())
                    .issue(fixture.request(KeyType.EC256, "nonce.example.com").withTrust(List.of()),
                            fixture.huaweiSolver(), IssueJournal.NONE, Resume.none()));
            assertEquals(AcmeIssueException.Kind.NETWORK, untrusted.kind(), untrusted.getMessage());
            assertTrue(untrusted.getMessage().contains("give the CA that signs it in acme.ca_bundle"),
                    untrusted.getMessage());
            Issued issued = issuer(new InMemoryAcmeKeys()).issue(fixture.request(KeyType.EC256, "nonce.example.com"),
                    fixture.huaweiSolver(), IssueJournal.NONE, Resume.none());
            assertEquals(List.of("nonce.example.com"), AcmeIssuerPebbleTest.sans(issued.leaf()));
        }
    }

    @Test
    void theExecHook_publishesThroughAnotherProvider_andRemovesWhatItPublished() throws Exception {
        try (AcmePebbleFixture fixture = AcmePebbleFixture.start(dir, b -> b)) {
            Path calls = dir.resolve("hook-calls.log");
            Path hook = dir.resolve("dns-hook.sh");
            Files.writeString(hook, String.join("\n",
                    "#!/usr/bin/env bash",
                    "# a dns-01 hook for 'another DNS provider': the simulator's POST /_simulator/dns-txt, over bash's"
                            + " /dev/tcp",
                    "set -eu",
                    "echo \"$1 $CERTFORM_ACME_DOMAIN $CERTFORM_ACME_RECORD\" >> '" + calls + "'",
                    "body=\"{\\\"action\\\":\\\"$1\\\",\\\"name\\\":\\\"$CERTFORM_ACME_RECORD\\\","
                            + "\\\"value\\\":\\\"$CERTFORM_ACME_VALUE\\\"}\"",
                    "exec 3<>/dev/tcp/127.0.0.1/" + fixture.simulator.port(),
                    "printf 'POST /_simulator/dns-txt HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type:"
                            + " application/json\\r\\nContent-Length: %d\\r\\nConnection: close\\r\\n\\r\\n%s'"
                            + " \"${#body}\" \"$body\" >&3",
                    "read -r status <&3",
                    "case \"$status\" in *' 204'*) exit 0 ;; *) echo \"the provider answered: $status\" >&2; exit 1 ;;"
                            + " esac",
                    ""));
            Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwx------"));
            ExecSolver exec = new ExecSolver(List.of(hook.toString()), Duration.ofSeconds(20),
                    List.of(fixture.resolver()), Duration.ofMillis(50));

            Issued issued = issuer(new InMemoryAcmeKeys()).issue(fixture.request(KeyType.EC256, "*.example.org",
                    "example.org"), exec, IssueJournal.NONE, Resume.none());

            assertEquals(List.of("*.example.org", "example.org"), AcmeIssuerPebbleTest.sans(issued.leaf()));
            List<String> lines = Files.readAllLines(calls);
            assertEquals(4, lines.size(), lines.toString());
            assertEquals(2, lines.stream().filter(l -> l.startsWith("present ")).count(), lines.toString());
            assertTrue(lines.contains("cleanup *.example.org _acme-challenge.example.org."), lines.toString());
            assertTrue(fixture.txtRecords().isEmpty(), fixture.txtRecords().toString());
        }
    }

    @Test
    void thePreferredChain_isTakenWhenTheCaOffersIt_andTheDefaultOtherwise() throws Exception {
        try (AcmePebbleFixture fixture = AcmePebbleFixture.start(dir, b -> b.alternateRoots(1))) {
            String root0 = commonName(fixture.pebble.rootPem(0));
            String root1 = commonName(fixture.pebble.rootPem(1));
            for (String preferred : new String[] {root1, root0, "No Such Root"}) {
                Issued issued = issuer(new InMemoryAcmeKeys()).issue(fixture.request(KeyType.EC256,
                        "chain.example.com").withPreferredChain(preferred), fixture.huaweiSolver(), IssueJournal.NONE,
                        Resume.none());
                X509Certificate top = issued.chain().get(issued.chain().size() - 1);
                String expected = preferred.equals("No Such Root") ? root0 : preferred;
                assertEquals(expected, commonName(top.getIssuerX500Principal().getName()), preferred);
            }
        }
    }

    private static String commonName(String pemOrName) throws Exception {
        String name = pemOrName;
        if (pemOrName.startsWith("-----BEGIN")) {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(pemOrName.getBytes()));
            name = c.getSubjectX500Principal().getName();
        }
        for (String part : name.split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return name;
    }
}
