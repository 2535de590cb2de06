package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Someone binds the manifest's certificate again by hand, trusting another client CA. The API cannot say which
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
        try (Simulator simulator = Sims.start(ONE, SimulatorOptions.defaults())) {
            Files.writeString(dir.resolve("client-ca.pem"), TestCertificates.authority("Our Client CA")
                    .certificatePem());
            Path manifest = ONE.write(dir, "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1", CERT,
                    "    trusted_root_ca: ${file:client-ca.pem}\n");
            Cli apply = Cli.run("apply", "--auto-approve", "-f", manifest.toString());
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

            Cli plan = Cli.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, plan.exitCode(), "the domain trusts a client CA the manifest does not declare; the"
                    + " plan must not say it matches\n" + plan);
        }
    }
}
