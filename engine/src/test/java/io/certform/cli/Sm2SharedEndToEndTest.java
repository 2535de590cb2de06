package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SM2 dual certificate (encryption and signing pairs) in the shared model: sent with both pairs through the
 * certificate-management calls, attached, and no key of either pair written anywhere.
 */
class Sm2SharedEndToEndTest {

    @TempDir
    Path dir;

    @Test
    void sm2DualCertificate_sharedModel_isSentWithBothPairs_andNoKeyIsWritten() throws Exception {
        TestCertificates.Authority ca = TestCertificates.sm2Authority("SM2 Root");
        TestCertificates.Issued encrypt = ca.issueSm2("api.shop.example.com");
        TestCertificates.Issued sign = ca.issueSm2("api.shop.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(0).domain("g1", "d1", "api.shop.example.com").start()) {
            Simulator simulator = gateway.simulator();
            Files.writeString(dir.resolve("sign.crt"), sign.chainPem());
            Files.writeString(dir.resolve("sign.key"), sign.privateKeyPem());
            Path manifest = gateway.manifest().key("gm").mode("shared").name("gm_dual_2026")
                    .certificate("algorithm_type: SM2").material("enc")
                    .afterMaterial("    cert_content_sign: ${file:sign.crt}\n    private_key_sign: ${file:sign.key}\n")
                    .byName().write(dir, encrypt);
            Map<String, String> env = CliRun.TOKEN_ENV;
            CliRun plan = CliRun.run(env, "", "plan", "-f", manifest.toString(), "-out", dir.resolve("p.plan")
                    .toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            CliRun apply = CliRun.run(env, "", "apply", "-f", manifest.toString(), "--auto-approve", "--json");
            assertEquals(0, apply.exitCode(), apply.toString());
            ResourceState certificate = ShopWorld.certificate(dir);
            assertEquals("SM2", certificate.algorithmType());
            World.DomainView d = simulator.world().domains().get(0);
            assertEquals(List.of(certificate.sslId()), d.attachedIds());
            String everything = plan.out() + plan.err() + apply.out() + apply.err();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.filter(p -> !p.getFileName().toString().endsWith(".key")).toList()) {
                    everything += Files.readString(f);
                }
            }
            assertFalse(everything.contains("PRIVATE KEY"), "no key in state, journal, plan file or output");
            for (String key : List.of(encrypt.privateKeyPem(), sign.privateKeyPem())) {
                String body = key.lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
                assertFalse(everything.contains(body), "no line of either key anywhere");
            }
            assertTrue(CliRun.run(env, "", "plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode() == 0);
        }
    }
}
