package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code validate} checks everything a run would check before its first call, without connecting: a manifest it
 * passes is not one that {@code plan} refuses for a missing project, missing credentials, a missing endpoint or a
 * state URL that names nothing; and its summary says which endpoint, project, state and credentials a run would use.
 */
class ValidateAgreesWithPlanTest {

    @TempDir
    Path dir;

    private QuickstartFixture fixture;
    private Map<String, String> env;
    private String manifest;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new QuickstartFixture(dir);
        env = new HashMap<>(Map.of("STATUS_KEY", fixture.statusKey()));
        manifest = fixture.manifest().toString();
    }

    private void edit(String from, String to) throws Exception {
        String text = Files.readString(fixture.manifest());
        assertTrue(text.contains(from), from);
        Files.writeString(fixture.manifest(), text.replace(from, to));
    }

    private CliRun certform(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-f";
        all[args.length + 1] = manifest;
        return CliRun.run(env, "", all);
    }

    @Test
    void remoteGatewayWithoutProjectOrCredentials_validateFailsNamingBoth_asPlanRefusesIt() throws Exception {
        fixture.writeManifest("https://gw.example.com", "certs/status.crt", true);
        edit("  project_id: proj1\n", "");

        CliRun plan = certform("plan");
        assertEquals(1, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("no project id"), plan.toString());

        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode(), "a manifest plan refuses must not pass validate: " + validate);
        assertFalse(validate.out().contains("Success!"), validate.toString());
        assertTrue(validate.err().contains("error: no project id: set provider.project_id"), validate.toString());
        assertTrue(validate.err().contains("error: no credentials: pass --token TOKEN"),
                "every problem together, not only the first: " + validate);

        JsonNode summary = last(certform("validate", "--json"));
        assertFalse(summary.path("valid").asBoolean(), summary.toString());
        assertEquals(2, summary.path("error_count").asInt(), summary.toString());
        assertEquals("https://gw.example.com", summary.path("endpoint").asString(), summary.toString());

        env.put("HW_PROJECT_ID", "proj9");
        env.put("CERTFORM_AUTH_TOKEN", "token-not-shown");
        CliRun fixed = certform("validate");
        assertEquals(0, fixed.exitCode(), fixed.toString());
        assertTrue(fixed.out().contains("  Endpoint:    https://gw.example.com\n"), fixed.toString());
        assertTrue(fixed.out().contains("  Project:     proj9 (HW_PROJECT_ID)\n"), fixed.toString());
        assertTrue(fixed.out().contains("  State:       local file " + dir.resolve("certform.state.json")
                + " (the default, beside the manifest)\n"), fixed.toString());
        assertTrue(fixed.out().contains("  Credentials: token from CERTFORM_AUTH_TOKEN\n"), fixed.toString());
        assertFalse(fixed.all().contains("token-not-shown"), fixed.toString());
    }

    @Test
    void noEndpointAndNoRegion_validateFails_asPlanRefusesIt() throws Exception {
        fixture.writeManifest("https://gw.example.com", "certs/status.crt", true);
        edit("  endpoint: https://gw.example.com\n", "");
        env.put("CERTFORM_AUTH_TOKEN", "t");

        CliRun plan = certform("plan");
        assertEquals(1, plan.exitCode(), plan.toString());
        assertTrue(plan.err().contains("no endpoint: set provider.region"), plan.toString());
        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains("error: no endpoint: set provider.region"), validate.toString());
    }

    @Test
    void stateUrlVariableUnsetOrEmpty_validateFailsAtTheValue_asPlanDoes() throws Exception {
        edit("defaults:", "state:\n  backend: postgres\n  url: ${env:CERTFORM_PG_URL}\ndefaults:");

        CliRun unset = certform("validate");
        assertEquals(1, unset.exitCode(), unset.toString());
        assertTrue(unset.err().contains(":7:8: error: environment variable CERTFORM_PG_URL is not set (state.url)"),
                unset.toString());

        env.put("CERTFORM_PG_URL", ""); // what a CI secret that is not defined expands to
        for (String command : new String[] {"validate", "plan"}) {
            CliRun empty = certform(command);
            assertEquals(1, empty.exitCode(), command + ": " + empty);
            assertTrue(empty.err().contains(":7:8: error: state.url is empty: '${env:CERTFORM_PG_URL}' gave no text"),
                    command + " must not fall back to another server: " + empty);
        }
    }

    @Test
    void stateUrlVariableUnset_isReportedAsNotSet_byShowAndStateListAndHistory_asByValidate() throws Exception {
        edit("defaults:", "state:\n  backend: postgres\n  url: ${env:CERTFORM_PG_URL}\ndefaults:");
        for (String[] command : new String[][] {{"show"}, {"state", "list"}, {"state", "history"}}) {
            CliRun run = certform(command);
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains(":7:8: error: environment variable CERTFORM_PG_URL is not set (state.url)"),
                    String.join(" ", command) + ": " + run);
            assertFalse(run.err().contains("gave no text"), run.toString());
        }
    }

    @Test
    void postgresStateNamingNoServer_validateFailsAsPlanDoes_andNamesWhereItWouldConnectOnceOneIsNamed()
            throws Exception {
        edit("defaults:", "state:\n  backend: postgres\n  workspace: shop\ndefaults:");
        for (String command : new String[] {"validate", "plan"}) {
            CliRun none = certform(command);
            assertEquals(1, none.exitCode(), command + ": " + none);
            assertTrue(none.err().contains("no PostgreSQL server is named: set state.url"), command + ": " + none);
            assertTrue(none.err().contains("certform does not guess a server"), command + ": " + none);
        }

        env.put("CERTFORM_PG_URL", "jdbc:postgresql://db.internal:5432/certs?user=ci&password=hunter2");
        CliRun named = certform("validate");
        assertEquals(0, named.exitCode(), named.toString());
        assertFalse(named.err().contains("warning"), named.toString());
        assertTrue(named.out().contains("  State:       PostgreSQL workspace shop of jdbc:postgresql://db.internal:5432/"
                + "certs"), named.toString());
        assertTrue(named.out().contains("(" + "CERTFORM_PG_URL)\n"), named.toString());
        assertFalse(named.all().contains("hunter2"), "no password in the summary: " + named);

        JsonNode summary = last(certform("validate", "--json"));
        assertTrue(summary.path("valid").asBoolean(), summary.toString());
        assertEquals("proj1", summary.path("project").asString(), summary.toString());
        assertTrue(summary.path("state").asString().startsWith("PostgreSQL workspace shop of"), summary.toString());
        assertEquals("none needed (the embedded simulator makes its own token)",
                summary.path("credentials").asString(), summary.toString());
    }

    @Test
    void validate_withAManifestError_stillReportsProjectAndCredentials_andJsonNamesTheEndpoint() throws Exception {
        fixture.writeManifest("https://gw.example.com", "certs/missing.crt", true);
        edit("  project_id: proj1\n", "");

        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains("file not found: certs/missing.crt"), validate.toString());
        assertTrue(validate.err().contains("error: no project id"), "every problem at once: " + validate);
        assertTrue(validate.err().contains("error: no credentials"), "every problem at once: " + validate);

        JsonNode summary = last(certform("validate", "--json"));
        assertEquals("https://gw.example.com", summary.path("endpoint").asString(), summary.toString());
        assertEquals(2, summary.path("certificates").asInt(), summary.toString());
        assertEquals(3, summary.path("bindings").asInt(), summary.toString());
    }

    private static JsonNode last(CliRun run) {
        String[] lines = run.out().strip().split("\n");
        return JsonMapper.builder().build().readTree(lines[lines.length - 1]);
    }
}
