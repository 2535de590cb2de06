package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** What certform writes conforms to the schemas published in schemas/, through create, update and delete. */
class SchemaConformanceTest {

    @TempDir
    Path dir;

    private final JsonMapper json = JsonMapper.builder().build();

    /** Asserts that a plan JSON document conforms to schemas/plan.schema.json. */
    static void assertConformsToPlanSchema(JsonNode document) throws IOException {
        List<Error> errors = schema("plan.schema.json").validate(document);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), document.toString());
    }

    /** Asserts that a state document conforms to schemas/state.schema.json. */
    static void assertConformsToStateSchema(JsonNode document) throws IOException {
        List<Error> errors = schema("state.schema.json").validate(document);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), document.toString());
    }

    private static Schema schema(String name) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("..", "schemas", name))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    private void assertValid(Schema schema, JsonNode document, String what) {
        List<Error> errors = schema.validate(document);
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), what + ":\n" + document);
    }

    @Test
    void planJsonAndState_conformToTheirSchemas_forEveryAction() throws Exception {
        Schema plan = schema("plan.schema.json");
        Schema state = schema("state.schema.json");
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        String manifest = fixture.manifest().toString();

        CliRun creates = CliRun.run(env, "", "plan", "--json", "-f", manifest);
        assertValid(plan, json.readTree(creates.out()), "plan with creates");
        assertEquals(0, CliRun.run(env, "", "apply", "--auto-approve", "-f", manifest).exitCode());
        assertValid(state, json.readTree(Files.readString(dir.resolve("certform.state.json"))), "state");

        fixture.writeManifest("embedded", "certs/status-renewed.crt", false);
        JsonNode mixed = json.readTree(CliRun.run(env, "", "plan", "--json", "-f", manifest).out());
        assertValid(plan, mixed, "plan with update, delete and no-op");
        assertEquals("{\"add\":0,\"adopt\":0,\"change\":1,\"destroy\":1}", mixed.path("summary").toString());

        Files.delete(dir.resolve("certform.state.json")); // a lost state: the domains carry what is declared
        fixture.writeManifest("embedded", "certs/status.crt", false);
        JsonNode adopts = json.readTree(CliRun.run(env, "", "plan", "--json", "-f", manifest).out());
        assertValid(plan, adopts, "plan with adoptions");
        assertTrue(adopts.path("summary").path("adopt").asInt() > 0, adopts.toString());
    }

    @Test
    void schemas_rejectADocumentWithAKeyField() throws Exception {
        QuickstartFixture fixture = new QuickstartFixture(dir);
        Map<String, String> env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        ObjectNode document = (ObjectNode) json.readTree(CliRun.run(env, "", "plan", "--json", "-f",
                fixture.manifest().toString()).out());
        ((ObjectNode) document.path("resource_changes").get(0).path("after")).put("private_key", "x");
        assertFalse(schema("plan.schema.json").validate(document).isEmpty(),
                "the schema is closed: a private_key field cannot slip in");
    }
}
