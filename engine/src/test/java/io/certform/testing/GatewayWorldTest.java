package io.certform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixture and the runner do what the tests built on them take for granted. */
class GatewayWorldTest {

    private static final TestCertificates.Authority CA = TestCertificates.authority("Fixture CA");
    private static final TestCertificates.Issued SITE = CA.issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void world_ofSixDomains_fiveToAGroup_withOneBoundByHand() throws Exception {
        TestCertificates.Issued foreign = CA.issue("d5.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(6).boundByHand(5, "theirs", foreign).start()) {
            List<World.DomainView> domains = gateway.world().domains();
            assertEquals(List.of("grp0", "grp0", "grp0", "grp0", "grp0", "grp1"),
                    domains.stream().map(World.DomainView::groupId).toList());
            assertEquals("dom5", domains.get(5).domainId());
            assertEquals("d5.example.com", domains.get(5).urlDomain());
            assertEquals("theirs", domains.get(5).sslName(), "bound by hand before the test starts");
            assertNull(domains.get(0).sslId());
        }
    }

    @Test
    void manifest_fromTheWorld_isAppliedByTheRunner_andTheStateIsReadBack() throws Exception {
        try (GatewayWorld gateway = GatewayWorld.shop(3, 2).start()) {
            Path manifest = gateway.manifest().mode("shared").write(dir, gateway.certificate());
            String text = Files.readString(manifest);
            assertTrue(text.contains("      - { group_id: grp1, domain_id: d1, domain: api1.shop.example.com }\n"),
                    text);
            assertTrue(text.contains("  site:\n    name: site_cert\n    mode: shared\n"), text);

            CliRun apply = gateway.cli().in(dir).run("apply", "--auto-approve"); // certform.yaml of dir
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(4, GatewayWorld.resources(dir).size(), "one certificate and its three attachments");
            assertTrue(gateway.world().domains().stream().noneMatch(World.DomainView::bare), apply.toString());
        }
    }

    @Test
    void runner_givesTheEnvironmentStandardInputAndErrorItIsTold() throws Exception {
        Path manifest = GatewayWorld.manifest("http://127.0.0.1:9", GatewayWorld.of(1).domains()).write(dir, SITE);
        StringWriter watched = new StringWriter();
        CliRun noToken = CliRun.runner().env(java.util.Map.of()).errTo(watched).stdin("no\n")
                .run("validate", "-f", manifest.toString());
        assertEquals(1, noToken.exitCode(), noToken.toString());
        assertTrue(noToken.err().contains("CERTFORM_AUTH_TOKEN"), "no credentials in its environment\n" + noToken);
        assertEquals(noToken.err(), watched.toString(), "standard error, also where the test watches it");

        CliRun withToken = CliRun.runner().env("CERTFORM_AUTH_TOKEN", "tok").in(dir).run("validate");
        assertEquals(0, withToken.exitCode(), withToken.toString());
    }

    @Test
    void restart_servesTheSameWorldOnTheSamePort_withTheNewOptions() throws Exception {
        try (GatewayWorld gateway = GatewayWorld.of(2).start()) {
            int port = gateway.simulator().port();
            World world = gateway.world();
            gateway.restart(SimulatorOptions.defaults().withSeed(3));
            assertEquals(port, gateway.simulator().port());
            assertSame(world, gateway.world());
            Path manifest = gateway.manifest().write(dir, gateway.certificate());
            CliRun plan = gateway.cli().run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), "the token is still accepted\n" + plan);
        }
    }
}
