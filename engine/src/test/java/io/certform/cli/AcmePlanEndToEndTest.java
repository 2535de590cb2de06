package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An entry issued by ACME that was never issued: validate reads it, plan says it will be issued and plans no binding
 * for it (the file-based entry beside it is planned as always), certs and report do not trip on it, and an apply
 * whose CA cannot be reached fails naming it, before binding anything.
 */
class AcmePlanEndToEndTest {

    @TempDir
    Path dir;

    private static final String ACME_ENTRY = """
              wild:
                name: wildcard_acme
                mode: shared
                acme:
                  directory: https://127.0.0.1:14000/dir
                  key_type: rsa2048
                  names: ["*.acme.example.com", acme.example.com]
                domains:
                  - { group_id: grp0, domain: acme.example.com }
                  - { group_id: grp0, domain: www.acme.example.com }
            keystore:
              password: ${env:CERTFORM_KEYSTORE_PASSWORD}
            """;

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(CliRun.TOKEN_ENV);
        env.put("CERTFORM_KEYSTORE_PASSWORD", "a long random key store password");
        return env;
    }

    @Test
    void planSaysWillBeIssued_bindsNothingForIt_andApplyFailsOnAnUnreachableCaBeforeBinding() throws Exception {
        TestCertificates.Issued site = TestCertificates.authority("Site CA").issue("*.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(1).start()) {
            Path manifest = gateway.manifest().write(dir, site);
            Files.writeString(manifest, Files.readString(manifest) + ACME_ENTRY);
            String f = manifest.toString();

            CliRun validate = CliRun.run(env(), "", "validate", "-f", f);
            assertEquals(0, validate.exitCode(), validate.toString());

            CliRun plan = CliRun.run(env(), "", "plan", "--detailed-exitcode", "-f", f);
            assertEquals(2, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("+ certificate wild will be issued (2 names, RSA 2048)"), plan.out());
            assertTrue(plan.out().contains("site[d0.example.com]"), "the file-based entry is planned: " + plan.out());
            assertFalse(plan.out().contains("wild["), "no binding is planned for it yet: " + plan.out());

            assertFalse(validate.err().contains("Warning"), validate.toString());
            CliRun json = CliRun.run(env(), "", "plan", "--json", "-f", f);
            assertEquals(0, json.exitCode(), json.toString());
            JsonNode root = JsonMapper.builder().build().readTree(json.out());
            SchemaConformanceTest.assertConformsToPlanSchema(root);
            JsonNode issuance = root.path("issuance").get(0);
            assertEquals("wild", issuance.path("certificate").asString());
            assertEquals(2, issuance.path("names").asInt());
            assertEquals("RSA 2048", issuance.path("key_type").asString());

            assertEquals(0, CliRun.run(env(), "", "certs", "-f", f).exitCode(), "certs lists the file-based entry");

            CliRun apply = CliRun.run(env(), "", "apply", "--auto-approve", "-f", f);
            assertEquals(1, apply.exitCode(), apply.toString());
            assertTrue(apply.err().contains("certificate 'wild': ACME issuance failed (network): ACME server"
                    + " https://127.0.0.1:14000/dir"), apply.err());
            assertEquals(0, gateway.world().certificatesCreated(), "nothing was bound, the file-based entry neither");
            try (var files = Files.list(dir)) {
                assertEquals(java.util.List.of(), files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith("state.json")).toList(), "no state was written");
            }
        }
    }

    @Test
    void aSavedPlanThatIssues_isRefused_sayingToApplyWithoutAPlanFile_andNothingIsSent() throws Exception {
        TestCertificates.Issued site = TestCertificates.authority("Site CA").issue("*.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(1).start()) {
            Path manifest = gateway.manifest().write(dir, site);
            Files.writeString(manifest, Files.readString(manifest) + ACME_ENTRY);
            String f = manifest.toString();
            String planFile = dir.resolve("certs.plan").toString();
            CliRun plan = CliRun.run(env(), "", "plan", "-out", planFile, "-f", f);
            assertEquals(0, plan.exitCode(), plan.toString());
            CliRun apply = CliRun.run(env(), "", "apply", planFile, "-f", f);
            assertEquals(1, apply.exitCode(), apply.toString());
            assertTrue(apply.err().contains("certificate 'wild' will be issued (2 names, RSA 2048): a saved plan"
                    + " cannot apply an ACME issuance"), apply.err());
            assertTrue(apply.err().contains("run 'certform apply' without a plan file"), apply.err());
            assertEquals(0, gateway.world().certificatesCreated(), "nothing was sent");
        }
    }

    @Test
    void withoutThePassword_validateNamesTheVariable_andNeverAValue() throws Exception {
        TestCertificates.Issued site = TestCertificates.authority("Site CA").issue("*.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(1).start()) {
            Path manifest = gateway.manifest().write(dir, site);
            Files.writeString(manifest, Files.readString(manifest) + ACME_ENTRY);
            CliRun validate = CliRun.run(CliRun.TOKEN_ENV, "", "validate", "-f", manifest.toString());
            assertEquals(1, validate.exitCode(), validate.toString());
            assertTrue(validate.err().contains("environment variable CERTFORM_KEYSTORE_PASSWORD is not set"),
                    validate.err());
        }
    }
}
