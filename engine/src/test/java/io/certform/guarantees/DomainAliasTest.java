package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Guarantee 6: one domain named twice, under two certificate keys, by id and by a name in another case. */
class DomainAliasTest {

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", false);
    private static final TestCertificates.Authority CA = TestCertificates.authority("Alias CA");

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"domain: D0.Example.COM", "domain_id: dom0", "domain: d0.example.com"})
    void sameDomainUnderTwoKeys_isAnError_beforeAnythingIsSent(String second) throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults())) {
            TestCertificates.Issued a = CA.issue("*.example.com");
            TestCertificates.Issued b = CA.issue("*.example.com");
            Files.writeString(dir.resolve("a.crt"), a.chainPem());
            Files.writeString(dir.resolve("a.key"), a.privateKeyPem());
            Files.writeString(dir.resolve("b.crt"), b.chainPem());
            Files.writeString(dir.resolve("b.key"), b.privateKeyPem());
            Path manifest = dir.resolve("certform.yaml");
            Files.writeString(manifest, """
                    version: 1
                    provider: { endpoint: "%s", project_id: proj1 }
                    defaults: { instance_id: inst1 }
                    certificates:
                      a:
                        name: cert_a
                        cert_content: ${file:a.crt}
                        private_key: ${file:a.key}
                        domains:
                          - { group_id: grp0, domain: d0.example.com }
                      b:
                        name: cert_b
                        cert_content: ${file:b.crt}
                        private_key: ${file:b.key}
                        domains:
                          - { group_id: grp0, %s }
                    """.formatted(simulator.baseUrl(), second));
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(1, apply.exitCode(), apply.toString());
            assertTrue(apply.all().contains("name the same domain") || apply.all().contains("more than once")
                    || apply.all().contains("twice"), apply.toString());
            assertEquals(0, simulator.world().certificatesCreated(), "nothing sent");
        }
    }
}
