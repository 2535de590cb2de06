package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cert.CertificateLoader;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client CA a domain checks is part of its binding. When the manifest's {@code trusted_root_ca} changes (or is
 * dropped) while the leaf stays the same, the plan binds the domain again, so that it checks clients against what
 * the manifest declares.
 *
 * <p>Someone binds the manifest's certificate again by hand, trusting another client CA. The API cannot say which
 * root CA a domain trusts, only that it checks client certificates; so a certificate with client-certificate
 * checks on that certform did not bind is never adopted as the manifest's: the plan binds it again.
 */
class TrustedCaReboundTest {

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Authority SERVER_CA = TestCertificates.authority("Server CA");
    private static final TestCertificates.Issued CERT = SERVER_CA.issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void sameLeafReboundByHandTrustingAnotherClientCa_isDrift_notAdopted() throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults())) {
            Files.writeString(dir.resolve("client-ca.pem"), TestCertificates.authority("Our Client CA")
                    .certificatePem());
            Path manifest = ONE.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1", CERT,
                    "    trusted_root_ca: ${file:client-ca.pem}\n");
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            String before = simulator.world().domains().get(0).sslId();

            JsonMapper json = JsonMapper.builder().build();
            ObjectNode body = json.createObjectNode();
            body.put("instance_id", "inst1").put("group_id", "grp0").put("domain_id", "dom0")
                    .put("name", "site_cert").put("cert_content", CERT.chainPem())
                    .put("private_key", CERT.privateKeyPem())
                    .put("trusted_root_ca", TestCertificates.authority("Attacker Client CA").certificatePem());
            HttpResponse<String> rebound = Sims.rebind(simulator, json.writeValueAsString(body));
            assertEquals(200, rebound.statusCode(), rebound.body());
            assertNotEquals(before, simulator.world().domains().get(0).sslId());

            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, plan.exitCode(), "the domain trusts a client CA the manifest does not declare; the"
                    + " plan must not say it matches\n" + plan);
        }
    }

    @Test
    void aChangedOrDroppedTrustedRootCa_withTheSameLeaf_isBoundAgain() throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults())) {
            Path clientCa = dir.resolve("client-ca.pem");
            Files.writeString(clientCa, TestCertificates.authority("Our Client CA").certificatePem());
            String provider = "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1";
            Path manifest = ONE.write(dir, provider, CERT, "    trusted_root_ca: ${file:client-ca.pem}\n");
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            String firstSslId = simulator.world().domains().get(0).sslId();

            String renewedCa = TestCertificates.authority("Renewed Client CA").certificatePem();
            Files.writeString(clientCa, renewedCa);
            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, plan.exitCode(), "another trusted root CA, the same leaf: the domain must be bound again\n"
                    + plan);
            assertTrue(plan.out().contains("the trusted root CA changed"), plan.out());
            CliRun rebind = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, rebind.exitCode(), rebind.toString());
            String secondSslId = simulator.world().domains().get(0).sslId();
            assertNotEquals(firstSslId, secondSslId, "bound again with the renewed client CA\n" + rebind);
            assertEquals(CertificateLoader.bundleSha256(renewedCa), binding().trustedRootCaSha256());

            manifest = ONE.write(dir, provider, CERT, "");
            plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, plan.exitCode(), "trusted_root_ca dropped, the same leaf: the domain must be bound again"
                    + " without client-certificate checks\n" + plan);
            CliRun drop = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, drop.exitCode(), drop.toString());
            assertNotEquals(secondSslId, simulator.world().domains().get(0).sslId(), "bound again without a client"
                    + " CA\n" + drop);
            assertNull(binding().trustedRootCaSha256());
            CliRun settled = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, settled.exitCode(), settled.toString());
        }
    }

    private ResourceState binding() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read().resources().stream()
                .filter(r -> r.domainId() != null).findFirst().orElseThrow();
    }
}
