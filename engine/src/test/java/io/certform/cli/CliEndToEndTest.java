package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.provider.ProviderSession;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.simulator.WorldFile;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testing.GatewayWorld;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The CLI end to end, in-process, against the simulator over HTTP. */
class CliEndToEndTest {

    @TempDir
    Path dir;

    private QuickstartFixture fixture;
    private final Map<String, String> env = new HashMap<>();
    private final List<CliRun> runs = new ArrayList<>();
    private final JsonMapper json = JsonMapper.builder().build();

    @BeforeEach
    void setUp() throws IOException {
        fixture = new QuickstartFixture(dir);
        env.put("STATUS_KEY", fixture.statusKey());
    }

    private CliRun certformWithInput(String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("-f");
        all.add(fixture.manifest().toString());
        CliRun run = CliRun.run(env, stdin, all.toArray(String[]::new));
        runs.add(run);
        return run;
    }

    private CliRun certform(String... args) {
        return certformWithInput("", args);
    }

    private State state() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "test").read();
    }

    private Path worldFile() {
        return ProviderSession.worldFile(dir.resolve("certform.state.json"));
    }

    @Test
    void apply_bindsEveryDomain_recordsSslIds_andASecondPlanHasNoChanges() throws Exception {
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("Plan: 3 to add, 0 to change, 0 to destroy."), apply.out());
        assertTrue(apply.out().contains("Apply complete! Resources: 3 added, 0 changed, 0 destroyed."), apply.out());

        State state = state();
        assertEquals(List.of("shop[api.shop.example.com]", "shop[www.shop.example.com]", "status[status.example.com]"),
                state.resources().stream().map(ResourceState::address).toList());
        World world = WorldFile.read(worldFile());
        Map<String, String> bound = world.domains().stream().filter(d -> d.sslId() != null)
                .collect(Collectors.toMap(World.DomainView::urlDomain, World.DomainView::sslId));
        for (ResourceState r : state.resources()) {
            assertTrue(r.sslId().matches("[0-9a-f]{32}"), r.sslId());
            assertEquals(bound.get(r.urlDomain()), r.sslId(), "state records the ssl_id the service returned");
        }
        assertEquals("ECC", state.resource("status[status.example.com]").orElseThrow().algorithmType());
        assertEquals(fixture.status.serialHex(), state.resource("status[status.example.com]").orElseThrow().serialNumber());
        assertEquals(3, world.certificatesCreated());

        CliRun plan = certform("plan", "--detailed-exitcode");
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("No changes."), plan.out());

        CliRun again = certform("apply", "--auto-approve");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(3, WorldFile.read(worldFile()).certificatesCreated(), "a second apply creates nothing");
        assertNoKeyMaterial();
    }

    @Test
    void editingOneCertificatePath_plansExactlyOneUpdate_andApplyConverges() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        fixture.writeManifest("embedded", "certs/status-renewed.crt", true);

        CliRun plan = certform("plan", "--detailed-exitcode");
        assertEquals(2, plan.exitCode(), plan.toString());
        assertEquals(1, plan.out().lines().filter(l -> l.startsWith("  ~ binding")).count(), plan.out());
        assertFalse(plan.out().contains("  + binding") || plan.out().contains("  - binding"), plan.out());
        assertTrue(plan.out().contains("~ serial_number  = \"" + fixture.status.serialHex() + "\" -> \""
                + fixture.statusRenewed.serialHex() + "\""), plan.out());
        assertTrue(plan.out().contains("(because the certificate changed)"), plan.out());
        assertFalse(plan.out().contains("private_key"), "a renewal on the same key keeps the key: " + plan.out());
        assertTrue(plan.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), plan.out());

        String oldSslId = state().resource("status[status.example.com]").orElseThrow().sslId();
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("Resources: 0 added, 1 changed, 0 destroyed."), apply.out());
        ResourceState updated = state().resource("status[status.example.com]").orElseThrow();
        assertEquals(fixture.statusRenewed.serialHex(), updated.serialNumber());
        assertFalse(oldSslId.equals(updated.sslId()), "the domain carries a new certificate");
        assertEquals(0, certform("plan", "--detailed-exitcode").exitCode());
        assertNoKeyMaterial();
    }

    @Test
    void bindingRemovedFromManifest_isPlannedAsDelete_andRemovedRemotely() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        fixture.writeManifest("embedded", "certs/status.crt", false);
        CliRun plan = certform("plan");
        assertTrue(plan.out().contains("# shop[www.shop.example.com] will be destroyed"), plan.out());
        assertTrue(plan.out().contains("(because the binding is no longer in the manifest)"), plan.out());
        CliRun apply = certform("apply", "--auto-approve");
        assertTrue(apply.out().contains("Resources: 0 added, 0 changed, 1 destroyed."), apply.toString());
        assertTrue(state().resource("shop[www.shop.example.com]").isEmpty());
        World world = WorldFile.read(worldFile());
        assertTrue(world.domains().stream().anyMatch(d -> d.urlDomain().equals("www.shop.example.com")
                && d.sslId() == null), "the domain no longer carries a certificate");
    }

    @Test
    void destroy_removesEveryBinding() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        CliRun destroy = certform("destroy", "--auto-approve");
        assertEquals(0, destroy.exitCode(), destroy.toString());
        assertTrue(destroy.out().contains("Resources: 0 added, 0 changed, 3 destroyed."), destroy.out());
        assertTrue(state().resources().isEmpty());
        assertTrue(WorldFile.read(worldFile()).domains().stream().allMatch(d -> d.sslId() == null));
    }

    @Test
    void apply_withoutApproval_changesNothing_andWritesNothing() {
        CliRun noAnswer = certformWithInput("", "apply");
        assertEquals(1, noAnswer.exitCode(), noAnswer.toString());
        assertTrue(noAnswer.err().contains("no answer on standard input; nothing was changed."), noAnswer.err());
        CliRun no = certformWithInput("no\n", "apply");
        assertEquals(1, no.exitCode());
        assertTrue(no.out().contains("Apply cancelled."), no.out());
        assertFalse(Files.exists(dir.resolve("certform.state.json")), "no state written");
        assertFalse(Files.exists(worldFile()), "nothing applied to the simulator");
    }

    @Test
    void apply_answeredYes_applies() throws Exception {
        CliRun yes = certformWithInput("yes\n", "apply");
        assertEquals(0, yes.exitCode(), yes.toString());
        assertTrue(yes.out().contains("Only 'yes' will be accepted to approve."), yes.out());
        assertEquals(3, state().resources().size());
    }

    /** The shop's two domains (d1, d2) in grp1, and dom3 named {@code statusName} in grp2. */
    private static GatewayWorld.Builder shopAndStatus(String statusName) {
        return GatewayWorld.of(0).domain("grp1", "d1", "api.shop.example.com")
                .domain("grp1", "d2", "www.shop.example.com").domain("grp2", "dom3", statusName);
    }

    @Test
    void oneFailingBinding_doesNotStopTheOthers_andSuccessesStayInState() throws Exception {
        // dom3 carries another name than the status certificate's: the gateway refuses it (APIG.2103) at apply time
        // (a domain that does not exist at all is found by plan, before anything is sent: UnknownDomainIdTest)
        try (Simulator simulator = shopAndStatus("status.other.example").startSimulator()) {
            fixture.writeManifest(simulator.baseUrl(), "certs/status.crt", true);
            env.put("CERTFORM_AUTH_TOKEN", "tok");
            CliRun apply = certform("apply", "--auto-approve", "--parallelism", "1");
            assertEquals(1, apply.exitCode(), apply.toString());
            assertTrue(apply.out().contains("status[status.example.com]: failed: APIG.2103 (HTTP 400): "
                    + "The certificate common name does not match the domain name"), apply.out());
            assertTrue(apply.out().contains("Apply failed. Resources: 2 added, 0 changed, 0 destroyed. 1 failed."),
                    apply.out());
            assertEquals(List.of("shop[api.shop.example.com]", "shop[www.shop.example.com]"),
                    state().resources().stream().map(ResourceState::address).toList());

            JsonNode counters = simulatorState(simulator).path("counters");
            assertEquals(2, counters.path("certificates_created").asInt());
            CliRun plan = certform("plan", "--detailed-exitcode");
            assertEquals(2, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Plan: 1 to add, 0 to change, 0 to destroy."), plan.out());
        }
        assertNoKeyMaterial();
    }

    @Test
    void conflictMode_rotationConverges_byRemovingTheOldCertificateFirst_andSaysSo() throws Exception {
        SimulatorOptions conflict = SimulatorOptions.defaults()
                .withOnExisting(io.certform.simulator.OnExisting.CONFLICT);
        try (Simulator simulator = shopAndStatus("status.example.com").options(conflict).startSimulator()) {
            env.put("CERTFORM_AUTH_TOKEN", "tok");
            fixture.writeManifest(simulator.baseUrl(), "certs/status.crt", true);
            assertEquals(0, certform("apply", "--auto-approve").exitCode());
            String oldSslId = state().resource("status[status.example.com]").orElseThrow().sslId();
            fixture.writeManifest(simulator.baseUrl(), "certs/status-renewed.crt", true);
            CliRun rotate = certform("apply", "--auto-approve");
            assertEquals(0, rotate.exitCode(), rotate.toString());
            assertTrue(rotate.out().contains("status[status.example.com]: Modifications complete after")
                    && rotate.out().contains("(the domain refused a second certificate, so the old one (" + oldSslId
                    + ") was removed first: the domain was briefly without a certificate)"), rotate.out());
            assertEquals(fixture.statusRenewed.serialHex(),
                    state().resource("status[status.example.com]").orElseThrow().serialNumber());
            assertEquals(4, simulatorState(simulator).path("counters").path("certificates_created").asInt());
            assertEquals(0, certform("plan", "--detailed-exitcode").exitCode());
        }
    }

    @Test
    void wrongToken_stopsNewWork_andSaysWhy() throws Exception {
        try (Simulator simulator = shopAndStatus("status.example.com")
                .options(SimulatorOptions.defaults().withTokens(Set.of("good"))).startSimulator()) {
            fixture.writeManifest(simulator.baseUrl(), "certs/status.crt", true);
            CliRun missing = certform("plan");
            assertEquals(1, missing.exitCode());
            assertTrue(missing.err().contains("no credentials: pass --token TOKEN, or set CERTFORM_AUTH_TOKEN,"),
                    missing.toString());
            assertTrue(missing.err().contains("(for " + simulator.baseUrl() + ")"), missing.toString());
            CliRun wrong = certform("plan", "--token", "bad-token-value");
            assertEquals(1, wrong.exitCode(), wrong.toString());
            assertTrue(wrong.err().contains("APIG.1002 (HTTP 401)"), wrong.err());
            assertFalse(wrong.all().contains("bad-token-value"), "the token is never printed");
        }
    }

    @Test
    void planJson_isMachineReadable_andHoldsNoKey() throws Exception {
        CliRun plan = certform("plan", "--json");
        assertEquals(0, plan.exitCode(), plan.toString());
        JsonNode root = json.readTree(plan.out());
        assertEquals("1", root.path("format_version").asString());
        assertEquals(3, root.path("summary").path("add").asInt());
        JsonNode first = root.path("resource_changes").get(0);
        assertEquals("shop[api.shop.example.com]", first.path("address").asString());
        assertEquals("create", first.path("actions").get(0).asString());
        assertTrue(first.path("before").isNull());
        assertEquals(fixture.shop.serialHex(), first.path("after").path("serial_number").asString());
        assertTrue(first.path("after_unknown").path("ssl_id").asBoolean());
        assertNoKeyMaterial();
    }

    @Test
    void validate_reportsCertificateProblemsWithLocation_andWritesNothing() throws Exception {
        Files.writeString(dir.resolve("certs/shop.key"), fixture.status.privateKeyPem());
        CliRun validate = certform("validate");
        assertEquals(1, validate.exitCode());
        assertTrue(validate.err().contains(":11:18: error: certificate 'shop': the private key does not belong to the"
                + " certificate (api.shop.example.com, serial " + fixture.shop.serialHex() + ")"), validate.err());
        assertTrue(validate.err().contains("(file certs/shop.key)"), validate.err());
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(1, apply.exitCode());
        assertFalse(Files.exists(dir.resolve("certform.state.json")));
        assertFalse(Files.exists(worldFile()));
        assertNoKeyMaterial();
    }

    @Test
    void validate_onAValidManifest_saysSo() {
        CliRun validate = certform("validate");
        assertEquals(0, validate.exitCode(), validate.toString());
        assertEquals("Success! The manifest is valid: 2 certificates, 3 bindings.\n"
                + "  Endpoint:    the embedded simulator\n"
                + "  Project:     proj1 (provider.project_id)\n"
                + "  State:       local file " + dir.resolve("certform.state.json")
                + " (the default, beside the manifest)\n"
                + "  Credentials: none needed (the embedded simulator makes its own token)\n", validate.out());
    }

    @Test
    void usageErrors_exitOne_withAHint() {
        CliRun run = CliRun.run(env, "", "plan", "--bogus");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("Unknown option: '--bogus'"), run.err());
        assertTrue(run.err().contains("Run 'certform plan --help' for usage."), run.err());
    }

    @Test
    void versionAndCompletion() {
        CliRun version = CliRun.run(env, "", "version");
        assertTrue(version.out().matches("certform \\S+\n"), version.out());
        CliRun completion = CliRun.run(env, "", "completion", "bash");
        assertEquals(0, completion.exitCode());
        assertTrue(completion.out().contains("complete -F") && completion.out().contains("force-unlock"),
                "a bash completion script naming the commands");
        assertEquals(1, CliRun.run(env, "", "completion", "fish").exitCode());
    }

    @Test
    void stateCommands_workWithoutTheKeysVariables() throws Exception {
        assertEquals(0, certform("apply", "--auto-approve").exitCode());
        env.remove("STATUS_KEY");
        CliRun list = certform("state", "list");
        assertEquals(0, list.exitCode(), list.toString());
        assertEquals(3, list.out().lines().count());
    }

    @Test
    void noColor_byDefaultWhenNotATerminal() {
        CliRun plan = certform("plan");
        assertFalse(plan.all().contains("\u001b["), "no ANSI escapes outside a terminal");
    }

    private JsonNode simulatorState(Simulator simulator) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.baseUrl() + "/_simulator/state")).build(), HttpResponse.BodyHandlers.ofString());
        return json.readTree(response.body());
    }

    /** No private key material in anything printed or written during the test. */
    private void assertNoKeyMaterial() throws IOException {
        List<String> material = fixture.keyMaterial();
        StringBuilder everything = new StringBuilder();
        runs.forEach(r -> everything.append(r.all()));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile)
                    .filter(f -> !f.startsWith(dir.resolve("certs")) && !f.equals(fixture.manifest())).toList()) {
                everything.append(Files.readString(file));
            }
        }
        for (String line : material) {
            assertFalse(everything.toString().contains(line), "private key material leaked");
        }
        assertFalse(everything.toString().contains("PRIVATE KEY"), "a PEM private key header leaked");
        assertFalse(everything.toString().contains("BEGIN CERTIFICATE"), "PEM content was written to state or world");
    }
}
