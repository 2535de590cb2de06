package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
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
    @ValueSource(strings = {"match: \"*.shop.example.com\"",
            "{ group_id: grp0, domain: api0.shop.example.com }|{ group_id: grp1, domain: api1.shop.example.com }"})
    void savedPlanOfASharedCertificate_appliesAsSaved(String entries) throws Exception {
        try (var simulator = ShopWorld.start(2, 4, 17)) {
            Path manifest = ShopWorld.manifest(simulator).mode("shared").domains(entries.split("\\|")).write(dir, CERT);
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
