package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rollout block as the user meets it: the plan lists its waves (text, JSON, markdown, a saved plan), apply's
 * flags override it or are refused with what to do, and validate checks the rollback material.
 */
class RolloutCliTest {

    private static TestCertificates.Issued wildcard;
    private static TestCertificates.Issued old;
    private static TestCertificates.Issued other;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        TestCertificates.Authority ca = TestCertificates.authority("certform Test CA");
        wildcard = ca.issue("*.shop.example.com");
        old = ca.issue("*.shop.example.com");
        other = ca.issue("*.shop.example.com");
    }

    /** A manifest binding the wildcard to {@code domains} names, with {@code extra} lines at the end. */
    private Path manifest(int domains, String certificateExtra, String extra) throws IOException {
        Files.writeString(dir.resolve("wild.crt"), wildcard.chainPem());
        Files.writeString(dir.resolve("wild.key"), wildcard.privateKeyPem());
        Files.writeString(dir.resolve("old.crt"), old.chainPem());
        Files.writeString(dir.resolve("old.key"), old.privateKeyPem());
        Files.writeString(dir.resolve("other.key"), other.privateKeyPem());
        StringBuilder text = new StringBuilder("""
                version: 1
                provider: { endpoint: embedded, project_id: proj1 }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                  wild:
                    name: wildcard_2026
                    cert_content: ${file:wild.crt}
                    private_key: ${file:wild.key}
                """);
        text.append(certificateExtra);
        text.append("    domains:\n");
        for (int i = 0; i < domains; i++) {
            text.append("      - { domain: d").append(String.format("%03d", i)).append(".shop.example.com }\n");
        }
        text.append(extra);
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, text);
        return file;
    }

    private static final String WAVES = "rollout:\n  waves: [1, \"10%\", \"100%\"]\n  verify: tls\n";

    private static CliRun run(String... args) {
        return CliRun.run(Map.of(), "", args);
    }

    @Test
    void plan_listsTheWaves_inText_json_markdown_andTheSavedPlan() throws Exception {
        String file = manifest(200, "", WAVES).toString();
        CliRun text = run("plan", "-f", file);
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("Rollout: 3 waves: 1, 20, 179 bindings; verify tls; on failure stop (at most"
                + " 0 failures per wave)."), text.out());
        assertTrue(text.out().contains("\n  wave 1: wild[d000.shop.example.com]\n"), text.out());
        assertTrue(text.out().contains("\n  wave 2: 20 bindings, wild[d001.shop.example.com] ..."
                + " wild[d020.shop.example.com]\n"), text.out());

        CliRun json = run("plan", "--json", "-f", file);
        SchemaConformanceTest.assertConformsToPlanSchema(JSON.readTree(json.out()));
        JsonNode rollout = JSON.readTree(json.out()).get("rollout");
        assertEquals("[1,\"10%\",\"100%\"]", rollout.get("wave_sizes").toString());
        assertFalse(rollout.get("last_wave_takes_the_rest").asBoolean());
        assertEquals(List.of(1, 20, 179), sizes(rollout));
        assertEquals("tls", rollout.get("verify").asString());
        assertEquals(0, rollout.get("max_failures").asInt());
        assertEquals("stop", rollout.get("on_failure").asString());
        List<String> inWaves = new ArrayList<>();
        rollout.get("waves").forEach(w -> w.get("addresses").forEach(a -> inWaves.add(a.asString())));
        List<String> planned = new ArrayList<>();
        JSON.readTree(json.out()).get("resource_changes").forEach(c -> planned.add(c.get("address").asString()));
        assertEquals(planned, inWaves, "every binding in one wave, in the plan's order");

        CliRun markdown = run("plan", "--format", "markdown", "-f", file);
        assertTrue(markdown.out().contains("**Rollout:** 3 waves: 1, 20, 179 bindings; verify tls"), markdown.out());
        assertTrue(markdown.out().contains("- wave 1: `wild[d000.shop.example.com]`"), markdown.out());

        Path saved = dir.resolve("waves.plan");
        assertEquals(0, run("plan", "-out", saved.toString(), "-f", file).exitCode());
        CliRun shown = run("show", saved.toString());
        assertTrue(shown.out().contains("Rollout: 3 waves: 1, 20, 179 bindings; verify tls"), shown.out());
        JsonNode shownJson = JSON.readTree(run("show", "--json", saved.toString()).out()).get("rollout");
        assertEquals(rollout, shownJson, "show --json lists the waves plan --json listed");
    }

    private static List<Integer> sizes(JsonNode rollout) {
        List<Integer> sizes = new ArrayList<>();
        rollout.get("waves").forEach(w -> sizes.add(w.get("addresses").size()));
        return sizes;
    }

    @Test
    void aListNotEndingWith100Percent_isSaid_andAManifestWithoutRollout_showsNone() throws Exception {
        String file = manifest(12, "", "rollout: { waves: [5] }\n").toString();
        CliRun text = run("plan", "-f", file);
        assertTrue(text.out().contains("Rollout: 2 waves: 5, 7 bindings; verify none; on failure stop"), text.out());
        assertTrue(text.out().contains("The waves [5] do not end with \"100%\": the last wave takes the bindings"
                + " they leave."), text.out());
        String plain = manifest(12, "", "").toString();
        assertFalse(run("plan", "-f", plain).out().contains("Rollout:"));
        assertFalse(JSON.readTree(run("plan", "--json", "-f", plain).out()).has("rollout"));
    }

    @Test
    void apply_showsTheWavesOfItsFlags_thenRunsThemWaveByWave() throws Exception {
        String file = manifest(12, "", "").toString();
        CliRun apply = run("apply", "--auto-approve", "--waves", "1,50%", "-f", file);
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("Rollout: 3 waves: 1, 6, 5 bindings; verify none; on failure stop"),
                apply.out());
        assertTrue(apply.out().contains("Wave 1 of 3") && apply.out().contains("Wave 3 of 3")
                && apply.out().contains("Rollout: every wave done"), apply.out());
        assertTrue(Files.exists(dir.resolve("certform.state.json")), "applied");
        Files.delete(dir.resolve("certform.state.json"));

        // the flags override the block: one wave, nothing verified, stop, is an apply in one pass
        String withBlock = manifest(12, "", WAVES).toString();
        CliRun onePass = run("apply", "--auto-approve", "--waves", "100%", "--verify", "none", "-f", withBlock);
        assertEquals(0, onePass.exitCode(), onePass.toString());
        assertTrue(onePass.out().contains("Rollout: 1 wave: 12 bindings; verify none; on failure stop"),
                onePass.out());

        // with --json, the waves are the first event
        CliRun json = run("apply", "--json", "--auto-approve", "--waves", "100%", "--verify", "none", "-f", withBlock,
                "--state", dir.resolve("fresh.state.json").toString());
        JsonNode first = JSON.readTree(json.out().lines().findFirst().orElse("{}"));
        assertEquals("rollout", first.path("type").asString(), json.out());
        assertEquals(List.of(12), sizes(first));
    }

    @Test
    void badFlags_areRefusedBeforeAnythingIsPlanned() throws Exception {
        String file = manifest(3, "", "").toString();
        Map<String[], String> cases = Map.of(
                new String[] {"--waves", "1,0"}, "--waves '1,0': '0' is not a count or a share",
                new String[] {"--waves", "100%,5"}, "'5' comes after 100%",
                new String[] {"--verify", "ssl"}, "--verify 'ssl' is not none or tls",
                new String[] {"--on-failure", "retry"}, "--on-failure 'retry' is not stop or rollback",
                new String[] {"--max-failures", "-2"}, "--max-failures must be 0 or more",
                new String[] {"--probe-resolve", "gateway"}, "--probe-resolve 'gateway' is not HOST:PORT",
                new String[] {"--wave-pause", "soon"}, "--wave-pause: 'soon' is not a duration",
                new String[] {"--notify", "ftp://hooks.example.com/x"}, "--notify 'ftp://hooks.example.com/x' is"
                        + " not an http(s) URL",
                new String[] {"--notify", "https://me:pw@hooks.example.com/x"}, "carries a user and password",
                new String[] {"--confirm-waves"}, "--confirm-waves asks before each wave on the terminal, but"
                        + " standard input is not a terminal");
        for (Map.Entry<String[], String> c : cases.entrySet()) {
            List<String> args = new ArrayList<>(List.of("apply", "--auto-approve", "-f", file));
            args.addAll(List.of(c.getKey()));
            CliRun run = run(args.toArray(String[]::new));
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains(c.getValue()), c.getValue() + "\n" + run);
            assertFalse(run.out().contains("will be created"), "refused before planning: " + run);
        }
        assertFalse(Files.exists(dir.resolve("certform.state.json")));
    }

    @Test
    void savedPlan_refusesTheFlagsItFixed_andDestroyRefusesWaves() throws Exception {
        String file = manifest(3, "", "").toString();
        Path saved = dir.resolve("p.plan");
        assertEquals(0, run("plan", "-out", saved.toString(), "-f", file).exitCode());
        CliRun apply = run("apply", "--waves", "1,100%", saved.toString());
        assertEquals(1, apply.exitCode(), apply.toString());
        assertTrue(apply.err().contains("--waves cannot be used with a saved plan: the plan fixed its waves"),
                apply.toString());
        CliRun destroy = run("destroy", "--auto-approve", "--waves", "1", "-f", file);
        assertEquals(1, destroy.exitCode(), destroy.toString());
        assertTrue(destroy.err().contains("--waves is for apply: destroy only removes bindings"), destroy.toString());
    }

    @Test
    void rollbackWithoutPrevious_isRefusedByValidate_andByTheFlag_namingTheCertificate() throws Exception {
        String file = manifest(3, "", "rollout: { on_failure: rollback }\n").toString();
        CliRun validate = run("validate", "-f", file);
        assertEquals(1, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains("certform.yaml:6:5: error: certificate 'wild' has no 'previous'"
                + " certificate, which rollout.on_failure: rollback (at " + dir.resolve("certform.yaml") + ":13:10)"
                + " needs"), validate.err());
        assertTrue(validate.err().contains("or use on_failure: stop"), validate.err());

        String noBlock = manifest(3, "", "").toString();
        CliRun flag = run("apply", "--auto-approve", "--on-failure", "rollback", "-f", noBlock);
        assertEquals(1, flag.exitCode(), flag.toString());
        assertTrue(flag.err().contains("--on-failure rollback needs the previous certificate of each per-domain"
                + " certificate, and 'wild' (at " + dir.resolve("certform.yaml") + ":6:5) has none"), flag.err());

        String withPrevious = manifest(3, "    previous: { cert_content: \"${file:old.crt}\","
                + " private_key: \"${file:old.key}\" }\n", "rollout: { on_failure: rollback }\n").toString();
        CliRun ok = run("validate", "-f", withPrevious);
        assertEquals(0, ok.exitCode(), ok.toString());
    }

    @Test
    void previous_isCheckedLikeTheCertificate_itsKeyMustMatch_andNeverShows() throws Exception {
        String file = manifest(3, "    previous:\n      cert_content: ${file:old.crt}\n"
                + "      private_key: ${file:other.key}\n", "").toString();
        CliRun validate = run("validate", "-f", file);
        assertEquals(1, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains("certform.yaml:11:20: error: certificate 'wild' previous: the private key"
                + " does not belong to the certificate"), validate.err());
        for (String line : other.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).toList()) {
            assertFalse(validate.all().contains(line), "no key material");
        }
    }

    @Test
    void probeRoots_mustBeCertificates_andAreReportedAtTheirPosition() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("roots.pem"), "not a certificate");
        String file = manifest(1, "", "rollout:\n  verify: tls\n  probe: { roots: \"${file:roots.pem}\" }\n")
                .toString();
        CliRun validate = run("validate", "-f", file);
        assertEquals(1, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains(":13:19: error: the rollout.probe.roots holds no PEM certificate"),
                validate.err());
        Files.writeString(dir.resolve("roots.pem"), TestCertificates.authority("Roots").certificatePem());
        assertEquals(0, run("validate", "-f", file).exitCode());
    }

    @Test
    void previous_mustNameTheDomains() throws Exception {
        TestCertificates.Issued elsewhere = TestCertificates.authority("certform Test CA 2").issue("*.other.example");
        Files.createDirectories(dir);
        String file = manifest(1, "    previous:\n      cert_content: ${file:else.crt}\n"
                + "      private_key: ${file:else.key}\n", "").toString();
        Files.writeString(dir.resolve("else.crt"), elsewhere.chainPem());
        Files.writeString(dir.resolve("else.key"), elsewhere.privateKeyPem());
        CliRun validate = run("validate", "-f", file);
        assertEquals(1, validate.exitCode(), validate.toString());
        assertTrue(validate.err().contains("error: certificate 'wild' previous does not cover the domain"
                + " d000.shop.example.com"), validate.err());
    }
}
