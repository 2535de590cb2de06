package io.certform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.simulator.DnsZones;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Huawei Cloud DNS solver against the simulator: its record-set API and its authoritative DNS port. */
class HuaweiDnsSolverTest {

    private Simulator simulator;
    private World world;
    private HuaweiDnsSolver solver;

    @BeforeEach
    void start() throws Exception {
        world = new World();
        world.dns().addZone("example.com.");
        world.dns().addZone("shop.example.com.");
        simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("good")), 0);
        simulator.serveDns(0);
        solver = solver("good");
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HuaweiDnsSolver solver(String token) {
        HuaweiDnsClient client = new HuaweiDnsClient(TestHttp.client(new TokenAuth(token), Duration.ofSeconds(10)),
                HuaweiDnsClient.endpoint("ap-southeast-1", simulator.baseUrl()));
        return new HuaweiDnsSolver(client, List.of("127.0.0.1:" + simulator.dnsPort()), Duration.ofMillis(50));
    }

    private List<DnsZones.RecordSet> held(String name) {
        return world.dns().recordSets(null, name, "TXT");
    }

    @Test
    void findsTheZoneByTheLongestSuffix() {
        assertEquals("shop.example.com.", solver.zoneOf("_acme-challenge.a.shop.example.com.").name());
        assertEquals("example.com.", solver.zoneOf("_acme-challenge.api.example.com.").name());
        assertEquals("example.com.", solver.zoneOf("example.com").name());
        assertEquals("example.com.", solver.zoneOf("_acme-challenge.xshop.example.com.").name()); // a label, not text
    }

    @Test
    void presentsWaitsOnTheAuthoritativeServerAndCleansUp() {
        Dns01Solver.Challenge challenge = solver.present("a.shop.example.com", "token-value-1");
        assertEquals("_acme-challenge.a.shop.example.com.", challenge.record());
        assertEquals("shop.example.com.", challenge.zone());
        List<DnsZones.RecordSet> sets = held("_acme-challenge.a.shop.example.com.");
        assertEquals(1, sets.size());
        assertEquals(List.of("\"token-value-1\""), sets.get(0).records());
        assertEquals(world.dns().zoneOf("shop.example.com.").id(), sets.get(0).zoneId());

        solver.awaitVisible(challenge, Duration.ofSeconds(5));

        solver.cleanup(challenge);
        assertTrue(held("_acme-challenge.a.shop.example.com.").isEmpty());
        DnsException gone = assertThrows(DnsException.class,
                () -> solver.awaitVisible(challenge, Duration.ofMillis(200)));
        assertTrue(gone.getMessage().contains("did not answer \"token-value-1\"")
                && gone.getMessage().contains("answered NXDOMAIN"), gone.getMessage());
        solver.cleanup(challenge); // idempotent
    }

    @Test
    void aWildcardAndItsApexShareOneRecordSet_andCleaningOneLeavesTheOther() {
        Dns01Solver.Challenge wildcard = solver.present("*.example.com", "wild");
        Dns01Solver.Challenge apex = solver.present("example.com", "apex");
        List<DnsZones.RecordSet> sets = held("_acme-challenge.example.com.");
        assertEquals(1, sets.size());
        assertEquals(List.of("\"wild\"", "\"apex\""), sets.get(0).records());
        solver.awaitVisible(wildcard, Duration.ofSeconds(5));
        solver.awaitVisible(apex, Duration.ofSeconds(5));

        solver.cleanup(wildcard);
        assertEquals(List.of("\"apex\""), held("_acme-challenge.example.com.").get(0).records());
        solver.awaitVisible(apex, Duration.ofSeconds(5));
        solver.cleanup(apex);
        assertTrue(held("_acme-challenge.example.com.").isEmpty());
    }

    @Test
    void theWaitIsForOurValue_notAnyValueAtTheName_andEndsWhenItAppears() throws Exception {
        Dns01Solver.Challenge other = solver.present("api.example.com", "someone-elses");
        Dns01Solver.Challenge ours = new Dns01Solver.Challenge("api.example.com", other.record(), "ours",
                "example.com.");
        DnsException e = assertThrows(DnsException.class, () -> solver.awaitVisible(ours, Duration.ofMillis(300)));
        assertTrue(e.getMessage().contains("did not answer \"ours\"") && e.getMessage().contains(
                "answered \"someone-elses\""), e.getMessage());

        Thread later = new Thread(() -> {
            try {
                Thread.sleep(400);
            } catch (InterruptedException ignored) {
                return;
            }
            solver.present("api.example.com", "ours");
        });
        long started = System.nanoTime();
        later.start();
        solver.awaitVisible(ours, Duration.ofSeconds(10));
        assertTrue(System.nanoTime() - started >= 400_000_000L, "returned before the value was published");
        later.join();
    }

    @Test
    void aNameInNoZoneIsRefusedClearly() {
        DnsException e = assertThrows(DnsException.class, () -> solver.present("www.example.org", "v"));
        assertEquals("no Huawei Cloud DNS public zone holds _acme-challenge.www.example.org. (the account's zones:"
                + " example.com., shop.example.com.): create the zone, use the credentials of the account that holds"
                + " it, or solve this name with an exec hook", e.getMessage());
        assertTrue(world.dns().recordSets(null, null, null).isEmpty());
    }

    @Test
    void a401NamesTheCallAndWhatToCheck_withoutTheToken() {
        DnsException e = assertThrows(DnsException.class, () -> solver("wrong-token-123").present("example.com", "v"));
        assertTrue(e.getMessage().startsWith("Huawei Cloud DNS: cannot list the public zones: "), e.getMessage());
        assertTrue(e.getMessage().contains("401"), e.getMessage());
        assertTrue(e.getMessage().contains("check the access key and secret key (or the token)"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-token-123"), e.getMessage());
    }

    @Test
    void aSecondRecordSetOfOneName_isRefusedWithTheServicesCodeAndMessage() {
        HuaweiDnsClient client = new HuaweiDnsClient(TestHttp.client(new TokenAuth("good"), Duration.ofSeconds(10)),
                simulator.baseUrl());
        HuaweiDnsClient.Zone zone = solver.zoneOf("example.com.");
        HuaweiDnsClient.RecordSet made = client.createTxt(zone, "_acme-challenge.example.com.", List.of("a"), 60);
        assertEquals("PENDING_CREATE", made.status());
        assertEquals(List.of("\"a\""), made.records());
        DnsException e = assertThrows(DnsException.class,
                () -> client.createTxt(zone, "_acme-challenge.example.com.", List.of("b"), 60));
        assertTrue(e.getMessage().startsWith("Huawei Cloud DNS: cannot create the TXT record set"
                + " _acme-challenge.example.com. in zone example.com.: "), e.getMessage());
        assertTrue(e.getMessage().contains("DNS.0312") && e.getMessage().contains("in conflict with an existing one"),
                e.getMessage());
    }

    @Test
    void signsWithAkSkAsTheGatewayClientDoes() throws Exception {
        simulator.close();
        simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("good")).withKeys(
                java.util.Map.of("DNSTESTAK", new SimulatorOptions.AccessKey("dns-test-secret", null))), 0);
        io.certform.api.AkSkSigner signer = new io.certform.api.AkSkSigner("DNSTESTAK",
                new io.certform.base.Secret("dns-test-secret", "test", null), null, "proj1",
                java.time.Clock.systemUTC());
        HuaweiDnsClient signed = new HuaweiDnsClient(TestHttp.client(signer, Duration.ofSeconds(10)),
                simulator.baseUrl());
        assertEquals(List.of("example.com.", "shop.example.com."),
                signed.zones().stream().map(HuaweiDnsClient.Zone::name).toList());
        HuaweiDnsClient.Zone zone = signed.zones().get(0);
        HuaweiDnsClient.RecordSet made = signed.createTxt(zone, "_acme-challenge.example.com.", List.of("s"), 60);
        signed.delete(zone, made);
        signed.delete(zone, made); // already gone: not an error
        assertTrue(held("_acme-challenge.example.com.").isEmpty());
    }

    @Test
    void theEndpointIsTheRegionsUnlessTheProviderNamesOne() {
        assertEquals("https://dns.ap-southeast-1.myhuaweicloud.com", HuaweiDnsClient.endpoint("ap-southeast-1", null));
        assertEquals("https://dns.example.test", HuaweiDnsClient.endpoint("ap-southeast-1", "https://dns.example.test/"));
        assertThrows(DnsException.class, () -> HuaweiDnsClient.endpoint(" ", null));
    }
}
