package io.certform.guarantees;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.cli.CliRun;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Faults;
import io.certform.simulator.OnExisting;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A domain that already carries the declared certificate is in place whatever the state says: the plan adopts it
 * (counted apart from creates) and the apply records it without a call. So a lost or empty state, a renewal bound
 * by hand, or a journal moved aside after it was damaged never uploads a certificate a second time.
 */
class AdoptWhatIsInPlaceTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SimulatedRollout THREE = new SimulatedRollout(3, i -> "grp0", true);
    private static final TestCertificates.Authority CA = TestCertificates.authority("Adoption CA");
    private static final TestCertificates.Issued CERT = CA.issue("*.example.com");
    private static final TestCertificates.Issued RENEWED = CA.issue("*.example.com");

    @TempDir
    Path dir;

    @Test
    void lostState_domainsCarryingTheDeclaredCertificate_areAdoptedNotUploadedAgain() throws Exception {
        try (Simulator simulator = THREE.start(SimulatorOptions.defaults())) {
            Path manifest = THREE.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            Map<String, String> bound = sslIds(simulator);
            Files.delete(dir.resolve("certform.state.json")); // a fresh CI checkout: the state is not shared

            CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(2, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Plan: 0 to add, 3 to adopt, 0 to change, 0 to destroy."), plan.toString());
            assertTrue(plan.out().contains("will be adopted"), plan.toString());
            CliRun json = CliRun.run("plan", "--json", "-f", manifest.toString());
            JsonNode root = JSON.readTree(json.out());
            assertEquals(0, root.get("summary").get("add").asInt(), json.out());
            assertEquals(3, root.get("summary").get("adopt").asInt(), json.out());
            for (JsonNode change : root.get("resource_changes")) {
                assertEquals("[\"adopt\"]", change.get("actions").toString(), json.out());
            }
            CliRun markdown = CliRun.run("plan", "--format", "markdown", "-f", manifest.toString());
            assertTrue(markdown.out().contains("3 to adopt") && markdown.out().contains("adopt: already on the domain"),
                    markdown.toString());

            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(3, simulator.world().certificatesCreated(), "nothing uploaded again\n" + apply);
            assertEquals(bound, sslIds(simulator));
            assertEquals(bound, recordedSslIds(dir));
            CliRun again = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, again.exitCode(), again.toString());
        }
    }

    /** -refresh=false skips reading what the state records, never the look at a binding it does not record. */
    @Test
    void lostState_applyWithoutRefresh_adoptsWhatIsInPlace_andUploadsNothingAgain() throws Exception {
        try (Simulator simulator = THREE.start(SimulatorOptions.defaults().withFaults(Faults.none()))) {
            Path manifest = THREE.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            Map<String, String> bound = sslIds(simulator);
            Files.delete(dir.resolve("certform.state.json"));

            CliRun again = CliRun.run("apply", "--auto-approve", "-refresh=false", "-f", manifest.toString());
            assertEquals(0, again.exitCode(), again.toString());
            assertEquals(3, simulator.world().certificatesCreated(),
                    "a lost state re-uploaded what was in place\n" + again + Sims.perDomain(simulator));
            assertTrue(again.out().contains("3 to adopt"), again.toString());
            assertEquals(bound, sslIds(simulator));
            assertEquals(bound, recordedSslIds(dir));
        }
    }

    @Test
    void renewalBoundByHand_onAGatewayRefusingASecondCertificate_isAdopted_andNothingIsDeleted() throws Exception {
        SimulatedRollout one = new SimulatedRollout(1, i -> "grp0", true);
        try (Simulator simulator = one.start(SimulatorOptions.defaults().withOnExisting(OnExisting.CONFLICT))) {
            Path manifest = one.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            // the operator binds the renewal in the console before the manifest change merges
            ObjectNode body = JSON.createObjectNode();
            body.put("instance_id", "inst1").put("group_id", "grp0").put("domain_id", "dom0").put("name", "site_cert")
                    .put("cert_content", RENEWED.chainPem()).put("private_key", RENEWED.privateKeyPem());
            HttpResponse<String> rebound = Sims.rebind(simulator, JSON.writeValueAsString(body));
            assertEquals(200, rebound.statusCode(), rebound.body());
            String renewal = simulator.world().domains().get(0).sslId();
            one.write(dir, simulator, RENEWED); // the manifest change merges
            long deletesBefore = requests(simulator, "DELETE");
            long postsBefore = requests(simulator, "POST");

            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertTrue(plan.out().contains("Plan: 0 to add, 1 to adopt, 0 to change, 0 to destroy."), plan.toString());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(deletesBefore, requests(simulator, "DELETE"), "the working certificate was deleted\n" + apply);
            assertEquals(postsBefore, requests(simulator, "POST"), "the renewal was sent again\n" + apply);
            assertEquals(renewal, simulator.world().domains().get(0).sslId());
            assertEquals(Map.of("dom0", renewal), recordedSslIds(dir));
        }
    }

    @Test
    void damagedJournal_adviceWorks_andWhatTheHaltedRunBoundIsNotUploadedAgain() throws Exception {
        try (Simulator simulator = THREE.start(SimulatorOptions.defaults())) {
            Path manifest = THREE.write(dir, simulator, CERT);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            THREE.write(dir, simulator, RENEWED);
            // a renewal run halted right after its second bind was sent: two domains carry the renewal
            CliRun halted = CliRun.crashed("after-send:2", "apply", "--auto-approve", "--parallelism", "1", "-f",
                    manifest.toString());
            assertEquals(137, halted.exitCode(), halted.toString());
            assertEquals(5, simulator.world().certificatesCreated());
            Path journal = dir.resolve("certform.state.json.journal");
            List<String> lines = Files.readAllLines(journal);
            Files.writeString(journal, "{not a journal record\n" + String.join("\n", lines) + "\n");

            CliRun refused = CliRun.run("plan", "-f", manifest.toString());
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.all().contains("the journal is damaged"), refused.toString());
            assertFalse(refused.all().contains("certform refresh"), "refresh fails the same way\n" + refused);
            assertTrue(refused.all().contains("mv " + journal + " " + journal + ".damaged"), refused.toString());
            Files.move(journal, Path.of(journal + ".damaged")); // the advice, followed

            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Plan: 0 to add, 2 to adopt, 1 to change, 0 to destroy."), plan.toString());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(6, simulator.world().certificatesCreated(), "one renewal per domain, none sent twice\n"
                    + apply);
            assertEquals(sslIds(simulator), recordedSslIds(dir));
            CliRun again = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, again.exitCode(), again.toString());
        }
    }

    static Map<String, String> sslIds(Simulator simulator) {
        Map<String, String> out = new TreeMap<>();
        for (World.DomainView d : simulator.world().domains()) {
            out.put(d.domainId(), d.sslId());
        }
        return out;
    }

    static Map<String, String> recordedSslIds(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode r : JSON.readTree(dir.resolve("certform.state.json").toFile()).get("resources")) {
            out.put(r.get("domain_id").asString(), r.get("ssl_id").asString());
        }
        return out;
    }

    static long requests(Simulator simulator, String method) throws Exception {
        JsonNode n = Sims.adminState(simulator).get("counters").get("requests").get(method);
        return n == null ? 0 : n.asLong();
    }
}
