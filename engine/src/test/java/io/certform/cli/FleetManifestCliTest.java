package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A manifest of named providers on the command line: validate per provider, plan and apply of a fleet. */
class FleetManifestCliTest {

    @TempDir
    Path dir;

    private final Map<String, String> env = new HashMap<>();

    @BeforeEach
    void certificate() throws IOException {
        KeyPair keys = TestCertificates.rsa(2048);
        Instant now = Instant.now();
        TestCertificates.Issued issued = TestCertificates.selfSigned(keys, now.minus(1, ChronoUnit.DAYS),
                now.plus(200, ChronoUnit.DAYS), "a.example.com", "b.example.com");
        Files.writeString(dir.resolve("a.crt"), TestCertificates.pem(issued.certificate()));
        env.put("A_KEY", TestCertificates.pem(keys.getPrivate()));
        env.put("EU_AK", "AKEU00000000000001");
        env.put("EU_SK", "eu-secret-value");
    }

    private void manifest(String providers, String domains) throws IOException {
        Files.writeString(dir.resolve("certform.yaml"), String.join("\n",
                "version: 1",
                providers,
                "defaults: { instance_id: inst1, group_id: g1 }",
                "certificates:",
                "  site:",
                "    name: site_2026",
                "    cert_content: ${file:a.crt}",
                "    private_key: ${env:A_KEY}",
                "    domains:",
                domains) + "\n");
    }

    private CliRun certform(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-f";
        all[args.length + 1] = dir.resolve("certform.yaml").toString();
        return CliRun.run(env, "", all);
    }

    private static final String TWO = String.join("\n",
            "provider: { endpoint: embedded }",
            "providers:",
            "  eu:",
            "    endpoint: https://apig.eu.example.com",
            "    project_id: proj-eu",
            "    credentials: { ak: '${env:EU_AK}', sk: '${env:EU_SK}' }",
            "  us:",
            "    endpoint: https://apig.us.example.com",
            "    project_id: proj-us");

    @Test
    void apply_ofAFleet_eachProviderItsOwn_aRefusingOneNamedNotAttempted_thenARerunConverges() throws Exception {
        try (io.certform.testing.GatewayFleet fleet = io.certform.testing.GatewayFleet.builder()
                .provider("calm", p -> p.domains(6))
                .provider("locked", p -> p.domains(20).lines("parallelism: 2")) // its own pool: two calls at a time
                .start()) {
            Path manifest = fleet.write(dir, fleet.certificate());
            // planned while every provider answers; then one refuses its credentials for a while
            String saved = dir.resolve("fleet.plan").toString();
            CliRun planned = CliRun.runner().env(fleet.env()).run("plan", "-out", saved, "-f", manifest.toString());
            assertEquals(0, planned.exitCode(), planned.toString());
            fleet.simulator("locked").failAuthenticationUntilRestored();
            CliRun first = CliRun.runner().env(fleet.env()).run("apply", saved);
            assertEquals(1, first.exitCode(), first.toString());
            assertTrue(first.out().contains("  provider.calm: 6 added, 0 changed, 0 destroyed."), first.out());
            assertTrue(first.out().contains("  provider.locked: 0 added, 0 changed, 0 destroyed, "), first.out());
            assertTrue(first.out().matches("(?s).*  provider\\.locked: 0 added, 0 changed, 0 destroyed, [12] failed, 1[89]"
                    + " not attempted \\(APIG\\.1002 \\(HTTP 401\\).*"), "stopped after the calls in flight: " + first.out());

            fleet.simulator("locked").restoreAuthentication();
            CliRun rerun = CliRun.runner().env(fleet.env()).run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertTrue(rerun.out().contains("Apply complete! Resources: 20 added"), rerun.out());
            CliRun plan = CliRun.runner().env(fleet.env()).run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("No changes"), plan.out());
        }
    }

    @Test
    void planAndApply_runBindingsOnOneProvider_asToday() throws IOException {
        manifest(TWO, "      - { domain: a.example.com }\n      - { domain: b.example.com }");
        CliRun apply = certform("apply", "--auto-approve");
        assertEquals(0, apply.exitCode(), apply.toString());
        assertTrue(apply.out().contains("site[a.example.com]"), apply.out());
    }

    @Test
    void validate_showsEachProvider_andFailsOnOneWithoutCredentials() throws IOException {
        manifest(TWO, "      - { domain: a.example.com }\n      - { domain: b.example.com, provider: eu }");
        CliRun failing = certform("validate");
        assertEquals(1, failing.exitCode(), failing.toString());
        assertTrue(failing.err().contains("provider us: no credentials"), failing.err());
        assertFalse(failing.err().contains("provider eu:"), "eu has its own: " + failing.err());

        env.put("CERTFORM_AUTH_TOKEN", "conventional-token");
        CliRun valid = certform("validate");
        assertEquals(0, valid.exitCode(), valid.toString());
        String out = valid.out();
        assertTrue(out.contains("  Provider eu:\n    Endpoint:    https://apig.eu.example.com\n"
                + "    Project:     proj-eu (providers.eu.project_id)\n"
                + "    Credentials: AK/SK from ${env:EU_AK} / ${env:EU_SK} (providers.eu.credentials, access key"
                + " AKEU****001)"), out);
        assertTrue(out.contains("  Provider us:\n    Endpoint:    https://apig.us.example.com\n"), out);
        assertTrue(out.contains("    Credentials: token from CERTFORM_AUTH_TOKEN"), out);
        assertTrue(out.contains("  Provider default:\n    Endpoint:    the embedded simulator"), out);
        assertFalse(out.contains("eu-secret-value") || valid.err().contains("eu-secret-value"));

        CliRun json = certform("validate", "--json");
        assertEquals(0, json.exitCode(), json.toString());
        JsonNode node = JsonMapper.builder().build().readTree(json.out());
        assertEquals("the embedded simulator", node.get("endpoint").asString());
        assertEquals(3, node.get("providers").size());
        JsonNode eu = node.get("providers").get(1);
        assertEquals("eu", eu.get("name").asString());
        assertEquals("proj-eu", eu.get("project").asString());
        assertTrue(eu.get("credentials").asString().startsWith("AK/SK from ${env:EU_AK}"), eu.toString());
        assertEquals("us", node.get("providers").get(2).get("name").asString());
    }

    @Test
    void validate_ofOneProvider_keepsItsOutput_andListsIt() throws IOException {
        manifest("provider: { endpoint: embedded }", "      - { domain: a.example.com }");
        CliRun text = certform("validate");
        assertEquals(0, text.exitCode(), text.toString());
        assertTrue(text.out().contains("\n  Endpoint:    the embedded simulator\n"), text.out());
        assertFalse(text.out().contains("Provider "), text.out());
        JsonNode node = JsonMapper.builder().build().readTree(certform("validate", "--json").out());
        for (String key : new String[] {"type", "valid", "certificates", "bindings", "endpoint", "project",
                "project_source", "state", "credentials"}) {
            assertTrue(node.has(key), key + " in " + node);
        }
        assertEquals(1, node.get("providers").size());
        assertEquals("default", node.get("providers").get(0).get("name").asString());
    }
}
