package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.World;
import io.certform.simulator.WorldFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * examples/fleet's world files are simulator worlds ({@code certform simulator --world FILE} loads each) that agree
 * with the manifest: each is the project its provider names, and holds every domain bound under that provider.
 * (ExamplesTest applies the example once fleets plan and apply.)
 */
class FleetExampleTest {

    private static final Path FLEET = Path.of("..", "examples", "fleet");

    @Test
    @SuppressWarnings("unchecked")
    void eachProvidersWorldFile_loads_isItsProject_andHoldsItsBindings() throws Exception {
        Map<String, Object> manifest = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(FLEET.resolve("certform.yaml")));
        Map<String, Map<String, Object>> providers = (Map<String, Map<String, Object>>) manifest.get("providers");
        assertEquals(List.of("staging", "eu"), List.copyOf(providers.keySet()));
        Map<String, Object> wild = ((Map<String, Map<String, Object>>) manifest.get("certificates")).get("wild");
        List<Map<String, Object>> bindings = (List<Map<String, Object>>) wild.get("domains");
        assertTrue(((String) wild.get("private_key")).contains("demo-only"), "the demo key, marked so");

        Set<String> regions = new java.util.HashSet<>();
        Set<String> projects = new java.util.HashSet<>();
        for (Map.Entry<String, Map<String, Object>> provider : providers.entrySet()) {
            Map<String, Object> block = provider.getValue();
            assertEquals("embedded", block.get("endpoint"));
            World world = WorldFile.read(FLEET.resolve((String) block.get("world")));
            assertEquals(block.get("project_id"), world.projectId(), provider.getKey());
            assertEquals(block.get("region"), world.region(), provider.getKey());
            regions.add(world.region());
            projects.add(world.projectId());
            Set<String> inWorld = world.domains().stream()
                    .map(d -> d.instanceId() + "/" + d.groupId() + "/" + d.urlDomain()).collect(Collectors.toSet());
            List<Map<String, Object>> own = bindings.stream()
                    .filter(b -> provider.getKey().equals(b.get("provider"))).toList();
            assertTrue(own.size() >= 3, provider.getKey() + ": " + own);
            for (Map<String, Object> b : own) {
                String where = b.get("instance_id") + "/" + b.get("group_id") + "/" + b.get("domain");
                assertTrue(inWorld.contains(where), provider.getKey() + " binds " + where + ", its world: " + inWorld);
                assertTrue(((String) b.get("domain")).endsWith(".shop.example.com"), "covered by *.shop.example.com");
            }
        }
        assertEquals(2, regions.size(), "two regions");
        assertEquals(2, projects.size(), "two projects");
        assertEquals(2, bindings.stream().filter(b -> "api.shop.example.com".equals(b.get("domain"))).count(),
                "one name bound under both providers");
    }
}
