package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared certificate's renewal is one PUT that keeps its id and every attachment: the plan shows the id kept and
 * says nothing of a domain left bare. A per-domain renewal, which may remove a domain's certificate first, still
 * says so.
 */
class SharedRenewalPlanTest {

    private static final TestCertificates.Authority CA = TestCertificates.authority("Renewal CA");
    private static final String BARE = "briefly without a certificate";

    @TempDir
    Path dir;

    private Path manifest(String mode, TestCertificates.Issued cert) throws Exception {
        Files.writeString(dir.resolve("wild.crt"), cert.chainPem());
        Files.writeString(dir.resolve("wild.key"), cert.privateKeyPem());
        Path file = dir.resolve("certform.yaml");
        Files.writeString(file, """
                version: 1
                provider: { endpoint: embedded, project_id: proj1 }
                defaults: { instance_id: inst1, group_id: grp1 }
                certificates:
                  wild:
                    name: wildcard_2026
                    mode: %s
                    cert_content: ${file:wild.crt}
                    private_key: ${file:wild.key}
                    domains:
                      - { domain: a.shop.example.com }
                      - { domain: b.shop.example.com }
                """.formatted(mode));
        return file;
    }

    private static CliRun run(String... args) {
        return CliRun.run(Map.of(), "", args);
    }

    @Test
    void sharedRenewal_isPlannedKeepingItsSslId_withNoBareDomainNote() throws Exception {
        String file = manifest("shared", CA.issue("*.shop.example.com")).toString();
        assertEquals(0, run("apply", "--auto-approve", "-f", file).exitCode());
        String id = ShopWorld.certificate(dir).sslId();
        manifest("shared", CA.issue("*.shop.example.com"));

        CliRun plan = run("plan", "-f", file);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("# wild will be updated in place"), plan.out());
        assertTrue(plan.out().matches("(?s).*\\n {8}ssl_id += \"" + id + "\"\\n.*"), plan.out());
        assertFalse(plan.out().contains("(known after apply)"), plan.out());
        assertFalse(plan.out().contains(BARE), plan.out());
        assertTrue(plan.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), plan.out());
    }

    @Test
    void perDomainRenewal_stillSaysADomainMayBeBrieflyBare() throws Exception {
        String file = manifest("per-domain", CA.issue("*.shop.example.com")).toString();
        assertEquals(0, run("apply", "--auto-approve", "-f", file).exitCode());
        manifest("per-domain", CA.issue("*.shop.example.com"));

        CliRun plan = run("plan", "-f", file);
        assertEquals(0, plan.exitCode(), plan.toString());
        assertTrue(plan.out().contains("(known after apply)") && plan.out().contains(BARE), plan.out());
    }
}
