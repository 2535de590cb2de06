package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/** The simulator's authoritative DNS server answers what its DNS zones hold, over UDP and TCP. */
class DnsServerTest {

    private Simulator simulator;
    private DnsZones dns;

    @BeforeEach
    void start() throws Exception {
        World world = new World();
        simulator = Simulator.start(world, SimulatorOptions.defaults(), 0);
        dns = world.dns();
        dns.addZone("example.com");
        dns.addZone("shop.example.com.");
        simulator.serveDns(0);
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private Message ask(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", simulator.dnsPort()));
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(3));
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    private static List<String> texts(Message m) {
        List<String> out = new ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            out.add(String.join("", ((TXTRecord) r).getStrings()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void answersTheTxtValuesOfARecordSet_inTheZoneOfTheLongestSuffix(boolean tcp) throws Exception {
        String shop = dns.zoneOf("_acme-challenge.a.shop.example.com").id();
        dns.create(shop, "_acme-challenge.a.shop.example.com.", "TXT", 60, List.of("\"one\"", "\"two\""), null);

        Message answer = ask("_acme-challenge.a.shop.example.com.", Type.TXT, tcp);
        assertEquals(Rcode.NOERROR, answer.getRcode());
        assertTrue(answer.getHeader().getFlag(org.xbill.DNS.Flags.AA), "authoritative");
        assertEquals(List.of("one", "two"), texts(answer));
        assertEquals("shop.example.com.", dns.zoneOf("_acme-challenge.a.shop.example.com").name());
    }

    @Test
    void soaAndNsAtTheApex_nxdomainForANameWithoutRecords_refusedOutsideTheZones() throws Exception {
        Message soa = ask("example.com.", Type.SOA, false);
        assertEquals(Type.SOA, soa.getSection(Section.ANSWER).get(0).getType());
        Message ns = ask("example.com.", Type.NS, false);
        assertEquals(DnsZones.NAME_SERVERS.size(), ns.getSection(Section.ANSWER).size());
        Message none = ask("_acme-challenge.nothing.example.com.", Type.TXT, false);
        assertEquals(Rcode.NXDOMAIN, none.getRcode());
        assertEquals(Type.SOA, none.getSection(Section.AUTHORITY).get(0).getType());
        assertEquals(Rcode.REFUSED, ask("example.org.", Type.TXT, false).getRcode());
    }

    @Test
    void aDeletedRecordSetIsNoLongerAnswered_aSecondOfTheSameNameAndTypeIsRefused() throws Exception {
        String zone = dns.zoneOf("example.com.").id();
        DnsZones.RecordSet made = dns.create(zone, "_acme-challenge.example.com", "txt", null, List.of("\"v\""), null);
        assertEquals("PENDING_CREATE", made.status());
        assertEquals("ACTIVE", dns.show(zone, made.id()).status());
        DnsApi.DnsError conflict = assertThrows(DnsApi.DnsError.class, () -> dns.create(zone,
                "_acme-challenge.example.com.", "TXT", null, List.of("\"w\""), null));
        assertEquals(400, conflict.status);
        assertEquals(List.of("v"), texts(ask("_acme-challenge.example.com.", Type.TXT, false)));

        assertEquals("PENDING_DELETE", dns.delete(zone, made.id()).status());
        assertEquals(Rcode.NXDOMAIN, ask("_acme-challenge.example.com.", Type.TXT, false).getRcode());
    }

    @Test
    void worldFilesDeclareZones_andASavedWorldKeepsThem(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("world.yaml");
        Files.writeString(yaml, "dns_zones:\n  - { name: example.com. }\n  - name: Shop.Example.com\n");
        World read = WorldFile.read(yaml);
        assertEquals(List.of("example.com.", "shop.example.com."),
                read.dns().zones().stream().map(DnsZones.Zone::name).toList());
        Path saved = dir.resolve("saved.json");
        WorldFile.write(read, saved);
        assertEquals(List.of("example.com.", "shop.example.com."),
                WorldFile.read(saved).dns().zones().stream().map(DnsZones.Zone::name).toList());

        Files.writeString(yaml, "dns_zones:\n  - { ttl: 300 }\n");
        WorldFile.WorldFileException missing = assertThrows(WorldFile.WorldFileException.class,
                () -> WorldFile.read(yaml));
        assertTrue(missing.getMessage().endsWith("dns_zones[0]: missing 'name'"), missing.getMessage());
    }

    @Test
    void theDnsTxtEndpoint_addsAndRemovesValuesAsAnotherProvidersHookWould() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.BiFunction<String, String, Integer> post = (action, name) -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(simulator.baseUrl()
                        + "/_simulator/dns-txt")).POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"action\":\"" + action + "\",\"name\":\"" + name + "\",\"value\":\"hooked\"}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        dns.txtValue("_acme-challenge.example.com.", "wild", true);
        assertEquals(204, post.apply("present", "_acme-challenge.example.com."));
        assertEquals(List.of("wild", "hooked"), texts(ask("_acme-challenge.example.com.", Type.TXT, false)));
        assertEquals(1, dns.recordSets(null, "_acme-challenge.example.com.", "TXT").size());
        assertEquals(204, post.apply("cleanup", "_acme-challenge.example.com."));
        assertEquals(List.of("wild"), texts(ask("_acme-challenge.example.com.", Type.TXT, false)));
        dns.txtValue("_acme-challenge.example.com.", "wild", false);
        assertTrue(dns.recordSets(null, null, "TXT").isEmpty());
        assertEquals(400, post.apply("present", "_acme-challenge.example.org."));
        assertEquals(400, post.apply("publish", "_acme-challenge.example.com."));
    }
}
