package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What plan and validate say in the cases a team meets in its first week: a downgrade, a key that does not match. */
class PlanAndValidateWordingTest {

    @TempDir
    Path dir;

    private QuickstartFixture fixture;
    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void setUp() throws IOException {
        fixture = new QuickstartFixture(dir);
        env.put("STATUS_KEY", fixture.statusKey());
    }

    private CliRun certform(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-f";
        all[args.length + 1] = fixture.manifest().toString();
        return CliRun.run(env, "", all);
    }

    @Test
    void plan_warnsOfACertificateThatExpiresBeforeTheOneBound() throws Exception {
        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        fixture.writeManifest("embedded", "certs/status.crt", true);
        CliRun plan = certform("plan");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("status[status.example.com]: the certificate to bind expires earlier ("
                + fixture.status.certificate().getNotAfter().toInstant()), plan.err());
        assertTrue(plan.err().contains("downgrade"), plan.err());

        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        CliRun renewal = certform("plan");
        assertFalse(renewal.err().contains("expires earlier"), "a renewal is no downgrade: " + renewal.err());
    }

    @Test
    void validateJson_onACertificateError_namesTheEndpointAndCountsTheBindings() throws Exception {
        Files.writeString(dir.resolve("certs/shop.key"), fixture.status.privateKeyPem());
        CliRun validate = certform("validate", "--json");
        assertEquals(1, validate.exitCode(), validate.toString());
        String[] lines = validate.out().strip().split("\n");
        JsonNode summary = JsonMapper.builder().build().readTree(lines[lines.length - 1]);
        assertEquals("validate", summary.get("type").asString(), validate.out());
        assertFalse(summary.get("valid").asBoolean());
        assertEquals(3, summary.get("bindings").asInt(), validate.out());
        assertTrue(summary.get("endpoint").isString() && summary.get("endpoint").asString().contains("embedded"),
                validate.out());
    }
}
