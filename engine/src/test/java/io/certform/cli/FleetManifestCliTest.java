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

/** A manifest of named providers on the command line: validate per provider, plan and apply refusing a fleet. */
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
    void planAndApply_refuseBindingsOnSeveralProviders_beforeAnythingIsRead() throws IOException {
        manifest(TWO, "      - { domain: a.example.com }\n      - { domain: b.example.com, provider: eu }");
        for (String[] command : new String[][] {{"apply", "--auto-approve"}}) { // plan runs a fleet
            CliRun run = certform(command);
            assertEquals(1, run.exitCode(), run.toString());
            assertTrue(run.err().contains("use 2 providers (default, eu): fleets need a plan and an apply per"
                    + " provider"), run.err());
        }
        assertFalse(Files.exists(dir.resolve("certform.state.json")), "nothing recorded");
        assertFalse(Files.exists(dir.resolve(".certform")), "no simulator started");
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
