package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a new user meets in the first hour: JSON diagnostics, validate's gate, Terraform's option spellings, colour. */
class FirstHourCliTest {

    @TempDir
    Path dir;

    private QuickstartFixture fixture;
    private final Map<String, String> env = new HashMap<>();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() throws IOException {
        fixture = new QuickstartFixture(dir);
        env.put("STATUS_KEY", fixture.statusKey());
    }

    private CliRun certform(String... args) {
        return certformIn(false, false, args);
    }

    private CliRun certformIn(boolean outTerminal, boolean errTerminal, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", fixture.manifest().toString()));
        return CliRun.run(env, "", outTerminal, errTerminal, all.toArray(String[]::new));
    }

    /** Every line of standard output, each a JSON object. */
    private List<JsonNode> jsonLines(CliRun run) {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : run.out().split("\n")) {
            JsonNode node = json.readTree(line);
            assertTrue(node.isObject(), "a JSON object per line: " + line);
            lines.add(node);
        }
        return lines;
    }

    @Test
    void json_manifestError_isAJsonDiagnosticOnStdout_withItsRange_andStderrStaysEmpty() {
        env.remove("STATUS_KEY");
        for (String command : List.of("plan", "validate")) {
            CliRun run = certform(command, "--json");
            assertEquals(1, run.exitCode(), run.toString());
            assertEquals("", run.err(), "no human text with --json");
            JsonNode diagnostic = jsonLines(run).get(0);
            assertEquals("diagnostic", diagnostic.path("type").asString());
            assertEquals("error", diagnostic.path("severity").asString());
            assertTrue(diagnostic.path("summary").asString().contains("STATUS_KEY"), diagnostic.toString());
            assertTrue(diagnostic.has("detail"), diagnostic.toString());
            assertEquals(fixture.manifest().toString(), diagnostic.path("range").path("filename").asString());
            assertEquals(18, diagnostic.path("range").path("start").path("line").asInt(), diagnostic.toString());
            assertTrue(diagnostic.path("range").path("start").path("column").asInt() > 0, diagnostic.toString());
        }
        List<JsonNode> validate = jsonLines(certform("validate", "-json"));
        JsonNode last = validate.get(validate.size() - 1);
        assertEquals("validate", last.path("type").asString());
        assertFalse(last.path("valid").asBoolean(true));
        assertEquals(1, last.path("error_count").asInt());
    }

    @Test
    void json_warningsPrecedeThePlan_asJsonLines() {
        CliRun plan = certform("plan", "--json", "--target", "status");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertEquals("", plan.err());
        List<JsonNode> lines = jsonLines(plan);
        assertEquals("warning", lines.get(0).path("severity").asString(), lines.toString());
        assertTrue(lines.get(0).path("summary").asString().contains("Resource targeting is in effect"));
        JsonNode document = lines.get(lines.size() - 1);
        assertEquals("1", document.path("format_version").asString());
        assertEquals(1, document.path("summary").path("add").asInt());
    }

    @Test
    void json_errorsOfTheCommandItself_areJsonDiagnosticsToo() {
        CliRun apply = certform("apply", "--json");
        assertEquals(1, apply.exitCode());
        assertEquals("", apply.err());
        JsonNode diagnostic = jsonLines(apply).get(0);
        assertEquals("diagnostic", diagnostic.path("type").asString());
        assertTrue(diagnostic.path("summary").asString().contains("--json needs --auto-approve"), diagnostic.toString());
        assertFalse(diagnostic.has("range"), "no place in a file: no range");
    }

    @Test
    void validate_failsOnHalfSetCredentials_offline() throws Exception {
        fixture.writeManifest("https://127.0.0.1:9", "certs/status.crt", true);
        env.put("HW_ACCESS_KEY", "AKIDEXAMPLE123456");
        CliRun half = certform("validate");
        assertEquals(1, half.exitCode(), half.toString());
        assertTrue(half.err().contains("incomplete AK/SK: HW_ACCESS_KEY and HW_SECRET_KEY must both be set"
                + " (missing: HW_SECRET_KEY)"), half.err());
        assertFalse(half.out().contains("Success!"), half.out());

        env.put("HW_SECRET_KEY", "secret-example");
        CliRun whole = certform("validate");
        assertEquals(0, whole.exitCode(), whole.toString());
        assertTrue(whole.out().contains("Credentials: AK/SK from HW_ACCESS_KEY / HW_SECRET_KEY"), whole.out());
        assertFalse(whole.all().contains("secret-example"));
    }

    @Test
    void singleDashLongOptions_workAsInTerraform() throws Exception {
        CliRun apply = certform("apply", "-auto-approve", "-parallelism", "2", "-lock-timeout", "1s", "-no-color");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(0, certform("plan", "-refresh=false", "-detailed-exitcode").exitCode());

        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);
        Path saved = dir.resolve("p.plan");
        CliRun plan = certform("plan", "-target", "status", "-exclude", "shop", "-detailed-exitcode", "-out",
                saved.toString(), "-state", dir.resolve("certform.state.json").toString());
        assertEquals(2, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), plan.out());
        assertTrue(Files.isRegularFile(saved));
        assertEquals("1", json.readTree(certform("plan", "-json").out()).path("format_version").asString());
    }

    @Test
    void unknownCommandOrOption_suggestsTheNearOne_andNoArgumentsPrintsHelp() {
        CliRun command = CliRun.run(env, "", "pln");
        assertEquals(1, command.exitCode());
        assertTrue(command.err().contains("Did you mean: certform plan"), command.err());
        CliRun option = certform("plan", "--taget", "shop");
        assertEquals(1, option.exitCode());
        assertTrue(option.err().contains("--target"), option.err());
        CliRun none = CliRun.run(env, "");
        assertEquals(0, none.exitCode(), none.toString());
        assertTrue(none.out().contains("Usage: certform"), none.out());
        assertTrue(none.out().contains("plan") && none.out().contains("apply") && none.out().contains("init"),
                none.out());
        assertFalse(none.out().contains("__complete-addresses"), "the completion helper stays hidden");
    }

    @Test
    void diagnosticsOnStderr_areColouredOnlyWhenStderrIsATerminal() {
        env.remove("STATUS_KEY");
        assertFalse(certformIn(true, false, "validate").err().contains("\u001b["),
                "standard output a terminal, standard error a file: no colour in the file");
        assertTrue(certformIn(false, true, "validate").err().contains("\u001b[31m"),
                "standard error a terminal: errors in red");
        env.put("NO_COLOR", "1");
        assertFalse(certformIn(false, true, "validate").err().contains("\u001b["), "NO_COLOR wins");
        env.remove("NO_COLOR");
        assertFalse(certformIn(false, true, "validate", "--no-color").err().contains("\u001b["), "--no-color wins");
    }

    @Test
    void completeAddresses_printsTheStatesAndTheManifestsAddresses() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        fixture.writeManifest("embedded", "certs/status.crt", false);
        CliRun run = certform("__complete-addresses", "--keys");
        assertEquals(0, run.exitCode(), run.toString());
        assertEquals(List.of("shop", "shop[api.shop.example.com]", "shop[www.shop.example.com]", "status",
                "status[status.example.com]"), run.out().lines().toList(), "the state still has www");
        CliRun bindings = certform("__complete-addresses");
        assertEquals(List.of("shop[api.shop.example.com]", "shop[www.shop.example.com]",
                "status[status.example.com]"), bindings.out().lines().toList(), "without --keys, no bare key");
        assertEquals("", run.err());

        Files.writeString(fixture.manifest(), "not: [valid");
        CliRun broken = certform("__complete-addresses");
        assertEquals(0, broken.exitCode());
        assertEquals("", broken.all(), "completion never prints an error into the command line");
    }

    @Test
    void completeAddresses_everyWordItOffers_isAcceptedByStateShow() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        CliRun words = certform("__complete-addresses");
        assertEquals(0, words.exitCode(), words.toString());
        for (String word : words.out().strip().split("\\s+")) {
            CliRun show = certform("state", "show", word);
            assertEquals(0, show.exitCode(), "completion offered '" + word + "' after state show: " + show);
        }
    }
}
