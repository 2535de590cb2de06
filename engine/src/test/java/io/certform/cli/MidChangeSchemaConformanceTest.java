package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The state and plan documents written in the middle of a change conform to their schemas (guarantee 6, with 1):
 * after a shared replacement (type global -> instance) under {@code --target wild[one domain]} (a deposed
 * certificate with attachments still on it), and after a shared rollout killed between waves; the plain apply
 * that follows the targeted one moves every other domain to the new certificate.
 */
class MidChangeSchemaConformanceTest {

    static final TestCertificates.Issued CERT = TestCertificates.authority("Target test CA")
            .issue("*.shop.example.com");
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static Schema schema(String name) throws Exception {
        try (InputStream in = Files.newInputStream(Path.of("..", "schemas", name))) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        }
    }

    Path manifest(Simulator simulator, String type) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(4).mode("shared").type(type).write(dir, CERT);
    }

    @Test
    void targetedReplacement_thenPlainApply_movesEveryDomain_andEveryDocumentConforms() throws Exception {
        try (Simulator simulator = ShopWorld.start(6, 4, 17)) {
            Path manifest = manifest(simulator, "global");
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            manifest(simulator, "instance");
            CliRun planJson = CliRun.run("plan", "--json", "-f", manifest.toString());
            List<String> planErrors = schema("plan.schema.json").validate(JSON.readTree(planJson.out())).stream()
                    .map(Error::toString).toList();
            assertEquals(List.of(), planErrors, "plan --json of a replacement");
            List<String> bare = BareDomains.watch(simulator);

            CliRun targeted = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--target",
                    "wild[api2.shop.example.com]");
            String stateText = Files.readString(dir.resolve("certform.state.json"));
            List<String> stateErrors = schema("state.schema.json").validate(JSON.readTree(stateText)).stream()
                    .map(Error::toString).toList();
            assertEquals(List.of(), stateErrors, "the state after a targeted replacement");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(1, d.attachedIds().size(),
                        d.urlDomain() + " carries one certificate\n" + targeted);
            }

            CliRun rest = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, rest.exitCode(), "targeted:\n" + targeted + "\nrest:\n" + rest);
            assertEquals(List.of(), bare, "domains left without a certificate");
            State state = ShopWorld.state(dir);
            assertTrue(state.resources().stream().noneMatch(ResourceState::deposed),
                    state.resources().stream().map(ResourceState::address).toList().toString());
            ResourceState certificate = state.resources().stream().filter(ResourceState::certificateResource)
                    .findFirst().orElseThrow();
            assertEquals("instance", certificate.type());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain() + "\n" + rest);
            }
            assertEquals(1, simulator.world().managedCertificateCount(), "the old one was deleted\n" + rest);
            assertEquals(0, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode());
        }
    }

    /** A shared rollout killed between waves: the state (deposed, verified_at) and the next plan --json conform. */
    @Test
    void sharedRolloutKilledBetweenWaves_stateAndPlanJsonConform() throws Exception {
        try (Simulator simulator = ShopWorld.startServingTls(12, 5, 3)) {
            Files.writeString(dir.resolve("roots.pem"), RolloutEndToEndTest.CA.certificatePem());
            io.certform.testing.TestManifest text = ShopWorld.manifest(simulator).attachChunk(4)
                    .rollout("waves: [1, \"50%\", \"100%\"]", "verify: tls", ShopWorld.tlsProbe(simulator))
                    .mode("shared");
            Path manifest = text.write(dir, RolloutEndToEndTest.OLD);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            text.write(dir, RolloutEndToEndTest.NEW);
            CliRun.killedApply(manifest, "between-waves:1");
            String stateText = Files.readString(dir.resolve("certform.state.json"));
            assertTrue(stateText.contains("\"deposed\""), "a deposed record to check");
            assertEquals(List.of(), schema("state.schema.json").validate(JSON.readTree(stateText)).stream()
                    .map(Error::toString).toList(), "state mid-rollout");
            CliRun planJson = CliRun.run("plan", "--json", "-f", manifest.toString());
            assertEquals(List.of(), schema("plan.schema.json").validate(JSON.readTree(planJson.out())).stream()
                    .map(Error::toString).toList(), "plan --json mid-rollout");
        }
    }
}
