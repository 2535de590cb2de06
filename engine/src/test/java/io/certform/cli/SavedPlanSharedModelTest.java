package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved plan of a shared certificate (guarantees 5 and 6), applied right away with nothing changed, applies as
 * saved: by a match: pattern and by a list of domains.
 */
class SavedPlanSharedModelTest {

    static final TestCertificates.Issued CERT = TestCertificates.authority("Saved test CA")
            .issue("*.shop.example.com");

    @TempDir
    Path dir;

    @ParameterizedTest(name = "domains: {0}")
    @ValueSource(strings = {"- match: \"*.shop.example.com\"",
            "- { group_id: grp0, domain: api0.shop.example.com }\n      - { group_id: grp1, domain: api1.shop.example.com }"})
    void savedPlanOfASharedCertificate_appliesAsSaved(String domains) throws Exception {
        try (var simulator = SharedModelGuaranteesTest.start(2, io.certform.simulator.Faults.none())) {
            Files.writeString(dir.resolve("wild.crt"), CERT.chainPem());
            Files.writeString(dir.resolve("wild.key"), CERT.privateKeyPem());
            Path manifest = dir.resolve("certform.yaml");
            Files.writeString(manifest, """
                    version: 1
                    provider: { endpoint: "%s", project_id: proj1 }
                    defaults: { instance_id: inst1 }
                    certificates:
                      wild:
                        name: wild_cert
                        mode: shared
                        cert_content: ${file:wild.crt}
                        private_key: ${file:wild.key}
                        domains:
                          %s
                    """.formatted(simulator.baseUrl(), domains));
            Path planFile = dir.resolve("tfplan");
            CliRun plan = CliRun.run("plan", "-f", manifest.toString(), "-out", planFile.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            CliRun apply = CliRun.run("apply", "-f", manifest.toString(), planFile.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(1, d.attachedIds().size(), d.urlDomain());
            }
        }
    }
}
