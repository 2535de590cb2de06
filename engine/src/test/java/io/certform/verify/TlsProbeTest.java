package io.certform.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.StepClock;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Sleeper;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.testkit.TestCertificates;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The probe against the simulator's TLS port: each outcome, the retries, the override, the clock. */
class TlsProbeTest {

    private static TestCertificates.Authority root;
    private static TestCertificates.Issued old;
    private static TestCertificates.Issued fresh;
    private static TestCertificates.Issued local;
    private static TestCertificates.Issued other;

    private Simulator simulator;
    private int tlsPort;
    private final StepClock clock = new StepClock(Instant.now());
    private final List<Duration> pauses = new ArrayList<>();
    private final Sleeper sleeper = d -> {
        pauses.add(d);
        clock.advance(d);
    };

    @BeforeAll
    static void certificates() {
        root = TestCertificates.authority("Probe Root");
        TestCertificates.Authority intermediate = root.intermediate("Probe Intermediate");
        old = intermediate.issue("a.example.com");
        fresh = intermediate.issue("a.example.com");
        local = intermediate.issue("localhost");
        other = intermediate.issue("b.example.com");
    }

    @BeforeEach
    void start() throws Exception {
        simulator = GatewayWorld.of(0).domain("grp1", "da", "a.example.com").domain("grp1", "db", "b.example.com")
                .domain("grp1", "dl", "localhost").optionsAsGiven(SimulatorOptions.defaults().withSeed(5)).servingTls()
                .startSimulator();
        tlsPort = simulator.tlsPort();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private void bind(String domainId, TestCertificates.Issued certificate) throws Exception {
        ObjectNode body = JsonMapper.builder().build().createObjectNode();
        body.put("name", "cert_" + domainId);
        body.put("cert_content", certificate.chainPem());
        body.put("private_key", certificate.privateKeyPem());
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        simulator.baseUrl() + "/v2/p/apic/instances/inst1/api-groups/grp1/domains/" + domainId
                                + "/certificate")).header("X-Auth-Token", "tok")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
    }

    private ProbeSettings viaSimulator(Duration propagation) {
        return new ProbeSettings(443, "127.0.0.1:" + tlsPort, Duration.ofSeconds(5), propagation);
    }

    private TlsProbe probe(ProbeSettings settings, X509Certificate... roots) {
        return new TlsProbe(settings, List.of(roots.length == 0 ? new X509Certificate[] {root.certificate()} : roots),
                clock, sleeper);
    }

    @Test
    void theNewLeafWithAChainToTheRoot_isVerified_atTheFirstAttempt() throws Exception {
        bind("da", old);
        bind("da", fresh);
        Verification v = probe(viaSimulator(Duration.ofSeconds(30))).verify("a.example.com",
                ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.VERIFIED, v.outcome(), v.detail());
        assertEquals(1, v.attempts());
        assertEquals(fresh.serialHex(), v.servedSerial());
        assertEquals(ExpectedLeaf.of(fresh.certificate()).sha256(), v.servedSha256());
        assertEquals(clock.instant(), v.at());
        assertTrue(pauses.isEmpty());
    }

    @Test
    void withoutAnOverride_theDomainItselfIsDialled_onTheProbePort() throws Exception {
        bind("dl", local);
        Verification v = probe(new ProbeSettings(tlsPort, null, Duration.ofSeconds(5), Duration.ZERO))
                .verify("localhost", ExpectedLeaf.of(local.certificate()));
        assertEquals(Verification.Outcome.VERIFIED, v.outcome(), v.detail());
    }

    @Test
    void theResolveOverride_isWhereTheProbeConnects_theNameStillGoesAsSni() throws Exception {
        bind("da", fresh);
        ProbeSettings direct = new ProbeSettings(tlsPort, null, Duration.ofSeconds(5), Duration.ZERO);
        Verification unresolved = probe(direct).verify("a.example.com", ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.UNREACHABLE, unresolved.outcome(), unresolved.detail());
        Verification resolved = probe(direct.withResolve("localhost:" + tlsPort))
                .verify("a.example.com", ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.VERIFIED, resolved.outcome(), resolved.detail());
    }

    @Test
    void aStaleDomain_isRetriedWithGrowingPauses_untilTheWindowPasses() throws Exception {
        bind("da", old);
        bind("da", fresh);
        simulator.tlsFaults(new TlsFaults(1.0, List.of()));
        Verification v = probe(viaSimulator(Duration.ofSeconds(30))).verify("a.example.com",
                ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.STALE, v.outcome(), v.detail());
        assertEquals(old.serialHex(), v.servedSerial(), "the old certificate is what is served");
        assertEquals(List.of(secs(1), secs(2), secs(4), secs(8), secs(10), secs(5)), pauses);
        assertEquals(pauses.size() + 1, v.attempts());
        assertTrue(v.detail().contains("Probed 7 times over the 30s propagation window"), v.detail());
    }

    @Test
    void aDomainThatSwitchesDuringTheWindow_isVerified() throws Exception {
        bind("da", old);
        bind("da", fresh);
        simulator.tlsFaults(new TlsFaults(1.0, List.of()));
        TlsProbe probe = new TlsProbe(viaSimulator(Duration.ofSeconds(30)), List.of(root.certificate()), clock,
                d -> {
                    pauses.add(d);
                    clock.advance(d);
                    if (pauses.size() == 2) {
                        simulator.tlsFaults(TlsFaults.none());
                    }
                });
        Verification v = probe.verify("a.example.com", ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.VERIFIED, v.outcome(), v.detail());
        assertEquals(3, v.attempts());
    }

    @Test
    void theNewLeafWithoutItsIntermediate_isBroken_andNotRetried() throws Exception {
        bind("da", fresh);
        simulator.tlsFaults(new TlsFaults(0, List.of("a.example.com")));
        Verification v = probe(viaSimulator(Duration.ofSeconds(30))).verify("a.example.com",
                ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.BROKEN, v.outcome(), v.detail());
        assertEquals(1, v.attempts());
        assertTrue(v.detail().contains("cert_content"), v.detail());
    }

    @Test
    void aChainToAnotherRoot_orPastItsExpiryOnTheProbesClock_isBroken() throws Exception {
        bind("da", fresh);
        TestCertificates.Authority stranger = TestCertificates.authority("Someone Else");
        Verification untrusted = probe(viaSimulator(Duration.ZERO), stranger.certificate())
                .verify("a.example.com", ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.BROKEN, untrusted.outcome(), untrusted.detail());

        clock.set(fresh.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1)));
        Verification expired = probe(viaSimulator(Duration.ZERO)).verify("a.example.com",
                ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.BROKEN, expired.outcome(), expired.detail());
    }

    @Test
    void aClosedPort_isUnreachable_retriedThroughTheWindow_andSaysWhereItDialled() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        ProbeSettings settings = new ProbeSettings(443, "127.0.0.1:" + closed, Duration.ofSeconds(2),
                Duration.ofSeconds(3));
        Verification v = probe(settings).verify("a.example.com", ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.UNREACHABLE, v.outcome(), v.detail());
        assertEquals(3, v.attempts(), "at 0s, 1s and 3s");
        assertTrue(v.detail().contains("127.0.0.1:" + closed), v.detail());
        assertTrue(v.detail().contains("probe.resolve"), v.detail());
    }

    @Test
    void aNameTheEndpointDoesNotKnow_isUnreachable_namingTheRefusal() throws Exception {
        Verification v = probe(viaSimulator(Duration.ZERO)).verify("nobody.example.com",
                ExpectedLeaf.of(fresh.certificate()));
        assertEquals(Verification.Outcome.UNREACHABLE, v.outcome());
        assertTrue(v.detail().contains("unrecognized_name"), v.detail());
    }

    @Test
    void manyDomainsAtOnce_comeBackInTheOrderAsked() throws Exception {
        bind("da", fresh);
        bind("db", other);
        List<TlsProbe.Target> targets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            targets.add(new TlsProbe.Target("a.example.com", ExpectedLeaf.of(fresh.certificate())));
            targets.add(new TlsProbe.Target("b.example.com", ExpectedLeaf.of(i % 2 == 0 ? other.certificate()
                    : fresh.certificate())));
        }
        List<Verification> results = probe(viaSimulator(Duration.ZERO)).verifyAll(targets, 4);
        for (int i = 0; i < targets.size(); i++) {
            Verification v = results.get(i);
            assertEquals(targets.get(i).domain(), v.domain());
            boolean stale = i % 2 == 1 && (i / 2) % 2 == 1;
            assertEquals(stale ? Verification.Outcome.STALE : Verification.Outcome.VERIFIED, v.outcome(), v.detail());
        }
    }

    @Test
    void badSettings_sayWhatIsWrong() {
        IllegalArgumentException resolve = assertThrows(IllegalArgumentException.class,
                () -> ProbeSettings.defaults().withResolve("::1:8443"));
        assertTrue(resolve.getMessage().contains("[::1]:8443"), resolve.getMessage());
        assertEquals("[::1]:8443", ProbeSettings.defaults().withResolve("[::1]:8443").address("x.example.com"));
        assertEquals("10.0.0.1:443", ProbeSettings.defaults().withResolve("10.0.0.1").address("x.example.com"));
        assertThrows(IllegalArgumentException.class, () -> new TlsProbe(ProbeSettings.defaults(), List.of(),
                clock, sleeper));
    }

    private static Duration secs(long n) {
        return Duration.ofSeconds(n);
    }

}
