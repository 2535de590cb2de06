package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * certform removes only what it can prove it bound. Another team's certificate bound by hand to a domain is
 * recorded beside certform's binding by refresh (never over it), and destroy, or dropping the binding from the
 * manifest, reports it and leaves it on the domain.
 */
class ForeignCertificateLeftAloneTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SimulatedRollout TWO = new SimulatedRollout(2, i -> "grp0", true);
    private static final TestCertificates.Issued OURS = TestCertificates.authority("Our CA").issue("*.example.com");
    private static final TestCertificates.Issued THEIRS = TestCertificates.authority("Their CA")
            .issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void refreshThenDestroy_keepsAnotherTeamsCertificateOnTheDomain() throws Exception {
        try (Simulator simulator = TWO.start(SimulatorOptions.defaults())) {
            Path manifest = TWO.write(dir, simulator, OURS);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            String ours = recorded(dir, "dom0").get("ssl_id").asString();
            String theirs = bindTheirs(simulator, "dom0");

            CliRun refresh = CliRun.run("refresh", "-f", manifest.toString());
            assertEquals(0, refresh.exitCode(), refresh.toString());
            JsonNode record = recorded(dir, "dom0");
            assertEquals(ours, record.get("ssl_id").asString(), "refresh wrote over what certform bound");
            assertEquals(theirs, record.get("seen").get("ssl_id").asString(), record.toString());

            CliRun destroy = CliRun.run("destroy", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, destroy.exitCode(), destroy.toString());
            assertTrue(destroy.all().contains("which certform did not bind: it is left alone"), destroy.toString());
            assertEquals(theirs, simulator.world().domains().get(0).sslId(), "another team's certificate was deleted");
            assertEquals(null, simulator.world().domains().get(1).sslId(), "certform's own binding stays bound");
        }
    }

    @Test
    void bindingDroppedFromTheManifest_leavesAnotherTeamsCertificateOnTheDomain() throws Exception {
        try (Simulator simulator = TWO.start(SimulatorOptions.defaults())) {
            Path manifest = TWO.write(dir, simulator, OURS);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            String theirs = bindTheirs(simulator, "dom0");
            Files.writeString(manifest, Files.readString(manifest).replaceAll("(?m)^.*domain_id: dom0.*\\n", ""));

            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertTrue(plan.all().contains("which certform did not bind: it is left alone"), plan.toString());
            assertTrue(plan.out().contains("will be forgotten (nothing is sent)"), plan.toString());
            CliRun applied = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, applied.exitCode(), applied.toString());
            assertEquals(theirs, simulator.world().domains().get(0).sslId(), "another team's certificate was deleted");
        }
    }

    /** Another team binds its own certificate to the domain in the console; returns its ssl_id. */
    private static String bindTheirs(Simulator simulator, String domainId) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("instance_id", "inst1").put("group_id", "grp0").put("domain_id", domainId).put("name", "their_cert")
                .put("cert_content", THEIRS.chainPem()).put("private_key", THEIRS.privateKeyPem());
        HttpResponse<String> rebound = Sims.rebind(simulator, JSON.writeValueAsString(body));
        assertEquals(200, rebound.statusCode(), rebound.body());
        return simulator.world().domains().stream().filter(d -> d.domainId().equals(domainId)).findFirst()
                .orElseThrow().sslId();
    }

    private static JsonNode recorded(Path dir, String domainId) throws Exception {
        for (JsonNode r : JSON.readTree(dir.resolve("certform.state.json").toFile()).get("resources")) {
            if (r.get("domain_id").asString().equals(domainId)) {
                return r;
            }
        }
        throw new AssertionError("no record of " + domainId);
    }
}
