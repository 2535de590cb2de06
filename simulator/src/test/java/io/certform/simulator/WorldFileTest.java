package io.certform.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** World files: YAML or JSON, of any size, saved and read back. */
class WorldFileTest {

    @TempDir
    Path dir;

    private static final String YAML = """
            instances:
              - id: i1
                groups:
                  - id: g1
                    domains:
                      - { id: d1, url_domain: www.example.com }
                      - { id: d2, url_domain: api.example.com }
            """;

    @Test
    void yamlOver3MiB_isRead() throws Exception {
        Path file = dir.resolve("world.yaml");
        StringBuilder text = new StringBuilder(YAML);
        String padding = "# " + "x".repeat(100) + "\n";
        while (text.length() < 4 * 1024 * 1024) {
            text.append(padding);
        }
        Files.writeString(file, text);
        assertEquals(2, WorldFile.read(file).domains().size());
    }

    @Test
    void json_isReadByExtension_orByContent() throws Exception {
        String json = """
                {"instances": [{"id": "i1", "groups": [{"id": "g1", "domains": [
                  {"id": "d1", "url_domain": "www.example.com"}]}]}]}
                """;
        Path named = dir.resolve("world.json");
        Files.writeString(named, json);
        Path unnamed = dir.resolve("world.yaml");
        Files.writeString(unnamed, "\n  " + json);
        for (Path file : List.of(named, unnamed)) {
            List<World.DomainView> domains = WorldFile.read(file).domains();
            assertEquals(1, domains.size(), file.toString());
            assertEquals("www.example.com", domains.get(0).urlDomain());
        }
    }

    @Test
    void yamlFlowMapping_thatIsNotJson_isStillReadAsYaml() throws Exception {
        Path file = dir.resolve("world.yaml");
        Files.writeString(file, "{instances: [{id: i1, groups: [{id: g1, domains: [{id: d1, url_domain: a.example.com}]}]}]}");
        assertEquals("a.example.com", WorldFile.read(file).domains().get(0).urlDomain());
    }

    @Test
    void invalidJson_inAJsonFile_namesLineAndColumn() throws Exception {
        Path file = dir.resolve("world.json");
        Files.writeString(file, "{\"instances\": [\n  {\"id\": \"i1\",, }\n]}");
        String message = assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage();
        assertTrue(message.startsWith(file + ":2:"), message);
        assertTrue(message.contains("not valid JSON"), message);
    }

    @Test
    void jsonEntriesAtFault_areNamedLikeYamlOnes() throws Exception {
        Path file = dir.resolve("world.json");
        Files.writeString(file, "{\"instances\": [{\"id\": \"i1\", \"groups\": [{\"domains\": []}]}]}");
        assertEquals(file + ": instances[0].groups[0]: missing 'id'",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage());
        Files.writeString(file, "{\"instances\": [{\"groups\": []}]}");
        assertEquals(file + ": instances[0]: missing 'id'",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage());
        Files.writeString(file, "{\"domains\": []}");
        assertEquals(file + ": unknown key 'domains' (expected project_id, region, instances, managed_certificates"
                + " or dns_zones)",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage());
        Files.writeString(file, "{\"instances\": [{\"id\": \"i1\", \"groups\": [{\"id\": \"g1\", \"domains\": ["
                + "{\"id\": \"d1\", \"url_domain\": \"a.example.com\"}, {\"id\": \"d1\", \"url_domain\": \"b.example.com\"}]}]}]}");
        assertEquals(file + ": instances[0].groups[0].domains[1]: domain id 'd1' appears twice in this group",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage());
    }

    @Test
    void jsonInstanceNamedAfterItsGroups_isRead() throws Exception {
        Path file = dir.resolve("world.json");
        Files.writeString(file, "{\"instances\": [{\"groups\": [{\"id\": \"g1\", \"domains\": ["
                + "{\"id\": \"d1\", \"url_domain\": \"a.example.com\"}]}], \"id\": \"i1\"}]}");
        World.DomainView domain = WorldFile.read(file).domains().get(0);
        assertEquals("i1", domain.instanceId());
        assertEquals("g1", domain.groupId());
    }

    @Test
    void yamlAnchorsAndAliases_readAsCopiesOfWhatTheyName() throws Exception {
        Path file = dir.resolve("world.yaml");
        Files.writeString(file, """
                instances:
                  - id: i1
                    groups:
                      - id: g1
                        domains: &shared
                          - { id: d1, url_domain: www.example.com }
                      - id: g2
                        domains: *shared
                """);
        List<World.DomainView> domains = WorldFile.read(file).domains();
        assertEquals(List.of("g1", "g2"), domains.stream().map(World.DomainView::groupId).toList());
        assertEquals(List.of("www.example.com", "www.example.com"),
                domains.stream().map(World.DomainView::urlDomain).toList());
    }

    @Test
    void yamlIds_keepTheirSpelling_evenWhenTheyLookLikeNumbers() throws Exception {
        Path file = dir.resolve("world.yaml");
        Files.writeString(file, "instances: [{id: 0123, groups: [{id: 1e5, domains: "
                + "[{id: 007, url_domain: a.example.com}]}]}]\n");
        World.DomainView domain = WorldFile.read(file).domains().get(0);
        assertEquals(List.of("0123", "1e5", "007"), List.of(domain.instanceId(), domain.groupId(), domain.domainId()));
    }

    @Test
    void entriesOfTheWrongShape_areNamedByTheirPlace_inYamlAndJson() throws Exception {
        Path yaml = dir.resolve("world.yaml");
        Files.writeString(yaml, "instances:\n  - id: i1\n    groups:\n      - id: g1\n        domains: 5\n");
        assertEquals(yaml + ": instances[0].groups[0].domains: expected a list",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(yaml)).getMessage());
        Files.writeString(yaml, "instances:\n  - id: i1\n    groups:\n      - g1\n");
        assertEquals(yaml + ": instances[0].groups[0]: expected a mapping",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(yaml)).getMessage());
        Path json = dir.resolve("world.json");
        Files.writeString(json, "{\"instances\": [{\"id\": \"i1\", \"groups\": [{\"id\": \"g1\", \"domains\": ["
                + "{\"id\": \"d1\", \"url_domain\": \"a.example.com\"}, "
                + "{\"id\": \"d2\", \"url_domain\": \"b.example.com\", \"certificate\": \"s1\"}]}]}]}");
        assertEquals(json + ": instances[0].groups[0].domains[1].certificate: expected a mapping",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(json)).getMessage());
        Files.writeString(json, "{\"instances\": [{\"id\": \"i1\", \"groups\": [{\"id\": \"g1\", \"domains\": ["
                + "{\"id\": \"d1\", \"url_domain\": \"a.example.com\", \"certificates_bound\": \"many\"}]}]}]}");
        assertEquals(json + ": instances[0].groups[0].domains[0].certificates_bound: expected a number",
                assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(json)).getMessage());
    }

    @Test
    void invalidYaml_andDuplicateKeys_nameLineAndColumn() throws Exception {
        Path file = dir.resolve("world.yaml");
        Files.writeString(file, "instances:\n  - id: i1\n    groups: [\n");
        String message = assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage();
        assertTrue(message.startsWith(file + ":3:"), message);
        assertTrue(message.contains("not valid YAML"), message);
        Files.writeString(file, "instances:\n  - id: i1\n    id: i2\n");
        message = assertThrows(WorldFile.WorldFileException.class, () -> WorldFile.read(file)).getMessage();
        assertTrue(message.startsWith(file + ":3:"), message);
        assertTrue(message.contains("not valid YAML") && message.contains("\"id\""), message);
    }

    @Test
    void jsonAndYaml_readTheSameWorld_andNameTheSameMistakes() throws Exception {
        World world = new World();
        world.addDomain("i1", "g1", "d1", "www.example.com");
        world.addDomain("i1", "g1", "d2", "api.example.com");
        BoundCertificate certificate = new BoundCertificate("s1", "cert_one", "instance", "i1", "EC",
                "www.example.com", List.of("www.example.com"), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
                "5a01", List.of("Test CA"), "SHA256-ECDSA", true, "2026-01-02T00:00:00Z");
        world.bind("i1", "g1", "d1", certificate, OnExisting.REPLACE, new World.At(Instant.now(), Duration.ZERO));
        world.persistence().restoreManaged("apigw", certificate, "2026-01-03T00:00:00Z", List.<String[]>of(new String[] {"i1", "g1", "d2"}));
        world.persistence().restoreManagedCounters(4, 2);
        Path json = dir.resolve("saved.json");
        WorldFile.write(world, json);
        Path yaml = dir.resolve("saved.yaml");
        Files.writeString(yaml, WorldRecords.yaml().writeValueAsString(WorldRecords.JSON.readTree(json.toFile())));
        Path again = dir.resolve("again.json");
        WorldFile.write(WorldFile.read(yaml), again);
        assertEquals(Files.readString(json), Files.readString(again), "the YAML form reads as the same world");

        String valid = "{\"instances\": [{\"id\": \"i1\", \"groups\": [{\"id\": \"g1\", \"domains\": [%s]}]}],"
                + " \"managed_counters\": %s, \"managed_certificates\": [%s]}";
        String domain = "{\"id\": \"d1\", \"url_domain\": \"a.example.com\"%s}";
        String managed = "{\"service\": \"apigw\", \"ssl_id\": \"s9\", \"ssl_name\": \"m\"%s}";
        Map<String, String[]> mistakes = new LinkedHashMap<>();
        mistakes.put("instances[0].groups[0].domains[0].certificate: expected a mapping",
                new String[] {domain.formatted(", \"certificate\": \"s1\""), "{}", ""});
        mistakes.put("instances[0].groups[0].domains[0].certificates_bound: expected a number",
                new String[] {domain.formatted(", \"certificates_bound\": \"many\""), "{}", ""});
        mistakes.put("instances[0].groups[0].domains[1]: expected a mapping",
                new String[] {domain.formatted("") + ", 7", "{}", ""});
        mistakes.put("instances[0].groups[0].domains[0].id: expected a single value",
                new String[] {"{\"id\": [\"d1\"], \"url_domain\": \"a.example.com\"}", "{}", ""});
        mistakes.put("instances[0].groups[0].domains[0].certificate.san: expected a list", new String[] {
                domain.formatted(", \"certificate\": {\"ssl_id\": \"s1\", \"ssl_name\": \"n\", \"san\": \"x\"}"), "{}", ""});
        mistakes.put("instances[0].groups[0].domains[0].certificate: missing 'ssl_name'", new String[] {
                domain.formatted(", \"certificate\": {\"ssl_id\": \"s1\"}"), "{}", ""});
        mistakes.put("managed_counters.created: expected a number",
                new String[] {domain.formatted(""), "{\"created\": \"x\", \"updated\": 1}", ""});
        mistakes.put("managed_certificates[0].has_trusted_root_ca: expected true or false",
                new String[] {domain.formatted(""), "{}", managed.formatted(", \"has_trusted_root_ca\": \"maybe\"")});
        mistakes.put("managed_certificates[0].attached: expected instance_id, group_id and domain_id",
                new String[] {domain.formatted(""), "{}", managed.formatted(", \"attached\": [{\"instance_id\": \"i1\"}]")});
        for (Map.Entry<String, String[]> mistake : mistakes.entrySet()) {
            Files.writeString(json, valid.formatted((Object[]) mistake.getValue()));
            Files.writeString(yaml, WorldRecords.yaml().writeValueAsString(WorldRecords.JSON.readTree(json.toFile())));
            for (Path file : List.of(json, yaml)) {
                assertEquals(file + ": " + mistake.getKey(), assertThrows(WorldFile.WorldFileException.class,
                        () -> WorldFile.read(file), file + " " + mistake.getKey()).getMessage());
            }
        }
    }

    @Test
    void savedWorld_readsBack_withBindingsCountersAndEmptyInstances_andNoKey() throws Exception {
        World world = new World();
        world.addDomain("i1", "g1", "d1", "www.example.com");
        world.addDomain("i1", "g2", "d2", "api.example.com");
        world.addDomain("i2", "g3", "d3", "x.example.com");
        world.addInstance("i3");
        BoundCertificate certificate = new BoundCertificate("s1", "cert_one", "global", null, "RSA",
                "www.example.com", List.of("www.example.com"), "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z",
                "5a01", List.of("Test CA"), "SHA256-RSA", true, "2026-01-02T00:00:00Z");
        world.bind("i1", "g1", "d1", certificate, OnExisting.REPLACE, new World.At(Instant.now(), Duration.ZERO));
        Path file = dir.resolve("saved.yaml");
        WorldFile.write(world, file);
        String text = Files.readString(file);
        assertFalse(text.contains("PRIVATE KEY"));

        World read = WorldFile.read(file);
        assertEquals(world.domains(), read.domains());
        assertEquals(1, read.certificatesCreated());
        WorldFile.write(read, dir.resolve("again.json"));
        assertEquals(text, Files.readString(dir.resolve("again.json")), "a round trip changes nothing");
        assertTrue(text.contains("\"id\" : \"i3\""), "an instance without groups is kept");
    }
}
