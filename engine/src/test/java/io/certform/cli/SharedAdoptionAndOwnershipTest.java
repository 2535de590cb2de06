package io.certform.cli;

import static io.certform.cli.SharedModelGuaranteesTest.CA;
import static io.certform.cli.SharedModelGuaranteesTest.CERT;
import static io.certform.cli.SharedModelGuaranteesTest.call;
import static io.certform.cli.SharedModelGuaranteesTest.cli;
import static io.certform.cli.SharedModelGuaranteesTest.createOutside;
import static io.certform.cli.SharedModelGuaranteesTest.manifest;
import static io.certform.cli.SharedModelGuaranteesTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared model against what the gateway already has: a lost state adopts the certificate resource and its
 * attachments instead of creating a second certificate, and a removal never detaches or deletes another team's
 * certificate.
 */
class SharedAdoptionAndOwnershipTest {

    @TempDir
    Path dir;

    private List<ResourceState> state() throws Exception {
        return ShopWorld.resources(dir);
    }

    private String recordedCertificateId() throws Exception {
        return state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow().sslId();
    }

    @Test
    void lostState_theSharedCertificateAndItsAttachments_areAdopted_noSecondCertificate() throws Exception {
        try (Simulator simulator = start(6, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            CliRun first = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, first.exitCode(), first.toString());
            String id = recordedCertificateId();
            assertEquals(1, simulator.world().managedCertificatesCreated());
            Files.delete(dir.resolve("certform.state.json")); // a fresh CI checkout: the state is not shared

            CliRun plan = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(2, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Plan: 0 to add, 7 to adopt, 0 to change, 0 to destroy."),
                    plan.toString());
            assertTrue(plan.out().contains("wild will be adopted: the gateway already holds it as certificate \""
                    + id + "\""), plan.toString());
            assertTrue(plan.out().contains("wild[api3.shop.example.com] will be adopted: the domain is already"
                    + " attached to certificate \"" + id + "\""), plan.toString());
            CliRun json = cli("plan", "-f", manifest.toString(), "--json");
            var root = SharedModelGuaranteesTest.JSON.readTree(json.out());
            SchemaConformanceTest.assertConformsToPlanSchema(root);
            assertEquals(7, root.path("summary").path("adopt").asInt(), json.out());
            assertEquals(0, root.path("summary").path("add").asInt(), json.out());
            CliRun markdown = cli("plan", "-f", manifest.toString(), "--format", "markdown");
            assertTrue(markdown.out().contains("adopt: already at the gateway as"), markdown.toString());

            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(1, simulator.world().managedCertificatesCreated(), "nothing created again\n" + apply);
            assertEquals(1, simulator.world().managedCertificateCount(), apply.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            assertEquals(id, recordedCertificateId());
            assertEquals(7, state().size(), "the certificate and its 6 attachments are recorded");
            assertTrue(state().stream().allMatch(r -> id.equals(r.sslId())), state().toString());
            CliRun again = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, again.exitCode(), again.toString());
        }
    }

    @Test
    void lostState_someDomainsDetached_adoptsTheCertificate_andAttachesOnlyTheMissingDomains() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String id = recordedCertificateId();
            assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + id + "/domains/detach",
                    "{\"domains\":[{\"domain\":\"api2.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}")
                    .statusCode());
            Files.delete(dir.resolve("certform.state.json"));

            CliRun plan = cli("plan", "-f", manifest.toString());
            assertTrue(plan.out().contains("Plan: 1 to add, 4 to adopt, 0 to change, 0 to destroy."),
                    plan.toString());
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(1, simulator.world().managedCertificatesCreated(), apply.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            assertEquals(0, cli("plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode());
        }
    }

    @Test
    void lostState_underARolloutInWaves_throughASavedPlan_adoptsAndCreatesNothing() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            Files.writeString(manifest, Files.readString(manifest) + "rollout:\n  waves: [1, \"100%\"]\n");
            CliRun first = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, first.exitCode(), first.toString());
            String id = recordedCertificateId();
            Files.delete(dir.resolve("certform.state.json"));

            Path planFile = dir.resolve("adopt.tfplan");
            CliRun plan = cli("plan", "-f", manifest.toString(), "-out", planFile.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("0 to add, 5 to adopt"), plan.toString());
            CliRun apply = cli("apply", "-f", manifest.toString(), planFile.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(1, simulator.world().managedCertificatesCreated(), apply.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            assertEquals(5, state().size(), state().toString());
            assertEquals(0, cli("plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode());
        }
    }

    @Test
    void lostState_oneAttachmentTargeted_bringsTheAdoptedCertificateAlong_noSecondCertificate() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String id = recordedCertificateId();
            assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + id + "/domains/detach",
                    "{\"domains\":[{\"domain\":\"api2.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}")
                    .statusCode());
            Files.delete(dir.resolve("certform.state.json"));

            String target = "--target=wild[api2.shop.example.com]";
            CliRun plan = cli("plan", "-f", manifest.toString(), target);
            assertTrue(plan.out().contains("Plan: 1 to add, 1 to adopt, 0 to change, 0 to destroy."),
                    plan.toString());
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve", target);
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(1, simulator.world().managedCertificatesCreated(), apply.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            assertEquals(List.of("wild", "wild[api2.shop.example.com]"),
                    state().stream().map(ResourceState::address).sorted().toList());
        }
    }

    @Test
    void domainReattachedByHandToAnotherTeamsCertificate_destroyLeavesThatCertificateAlone() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String ours = recordedCertificateId();
            // another team moves api1 to its own certificate, by hand
            String theirs = createOutside(simulator, "team_b_cert", CA.issue("*.shop.example.com"));
            assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + ours + "/domains/detach",
                    "{\"domains\":[{\"domain\":\"api1.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}")
                    .statusCode());
            assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + theirs + "/domains/attach",
                    "{\"domains\":[{\"domain\":\"api1.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}")
                    .statusCode());

            // later than the settle window: what the gateway shows is the truth, not a lagging read
            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));
            CliRun refresh = CliRun.runAt(later, "refresh", "-f", manifest.toString());
            assertEquals(0, refresh.exitCode(), refresh.toString());
            assertTrue(state().stream().allMatch(r -> ours.equals(r.sslId())),
                    "the state keeps what certform attached: " + state());
            CliRun destroy = CliRun.runAt(later, "destroy", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, destroy.exitCode(), destroy.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(d.urlDomain().equals("api1.shop.example.com") ? List.of(theirs) : List.of(),
                        d.attachedIds(), d.urlDomain() + ": only what certform attached is detached\n" + destroy);
            }
            assertEquals(200, call(simulator, "GET", "/v2/proj1/apic/certificates/" + theirs, null).statusCode(),
                    "the other team's certificate is not deleted\n" + destroy);
            assertEquals(404, call(simulator, "GET", "/v2/proj1/apic/certificates/" + ours, null).statusCode(),
                    "certform's own certificate is deleted\n" + destroy);
            assertTrue(state().isEmpty(), state().toString());
        }
    }

    @Test
    void certificateChangedOutside_refreshKeepsWhatCertformMadeAndRecordsTheOtherBeside_andApplyPutsItBack()
            throws Exception {
        try (Simulator simulator = start(3, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            ResourceState made = state().stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            // someone puts other content into certform's certificate, by hand
            var other = CA.issue("*.shop.example.com");
            var body = SharedModelGuaranteesTest.JSON.createObjectNode().put("name", "wild_cert")
                    .put("cert_content", other.chainPem()).put("private_key", other.privateKeyPem())
                    .put("type", "global");
            var put = call(simulator, "PUT", "/v2/proj1/apic/certificates/" + made.sslId(),
                    SharedModelGuaranteesTest.JSON.writeValueAsString(body));
            assertEquals(200, put.statusCode(), put.body());

            CliRun refresh = cli("refresh", "-f", manifest.toString());
            assertEquals(0, refresh.exitCode(), refresh.toString());
            ResourceState kept = state().stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            assertEquals(made.sslId(), kept.sslId());
            assertEquals(made.certSha256(), kept.certSha256(), "what certform made stays the record: " + kept);
            assertEquals(made.serialNumber(), kept.serialNumber(), kept.toString());
            assertTrue(kept.seen() != null && !made.serialNumber().equals(kept.seen().serialNumber()),
                    "what the gateway holds instead is recorded beside it: " + kept);

            CliRun plan = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(2, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("Plan: 0 to add, 1 to change, 0 to destroy."), plan.toString());
            long updates = simulator.world().managedCertificatesUpdated();
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(updates + 1, simulator.world().managedCertificatesUpdated(), apply.toString());
            assertEquals(1, simulator.world().managedCertificatesCreated(), apply.toString());
            CliRun again = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(state().stream().allMatch(r -> r.seen() == null), state().toString());
        }
    }

    @Test
    void certificatePutBackByHand_refreshForgetsWhatItRecordedBeside() throws Exception {
        try (Simulator simulator = start(3, Faults.none())) {
            Path manifest = manifest(dir, simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String id = recordedCertificateId();
            var other = CA.issue("*.shop.example.com");
            assertEquals(200, call(simulator, "PUT", "/v2/proj1/apic/certificates/" + id, body(other.chainPem(),
                    other.privateKeyPem())).statusCode());
            assertEquals(0, cli("refresh", "-f", manifest.toString()).exitCode());
            assertTrue(state().stream().anyMatch(r -> r.seen() != null), "the other content is recorded beside: "
                    + state());

            // put back by hand: the gateway holds certform's certificate again
            assertEquals(200, call(simulator, "PUT", "/v2/proj1/apic/certificates/" + id, body(CERT.chainPem(),
                    CERT.privateKeyPem())).statusCode());
            CliRun refresh = cli("refresh", "-f", manifest.toString());
            assertEquals(0, refresh.exitCode(), refresh.toString());
            assertTrue(state().stream().allMatch(r -> r.seen() == null), "nothing is seen beside any more: "
                    + state());
        }
    }

    private static String body(String chainPem, String keyPem) throws Exception {
        return SharedModelGuaranteesTest.JSON.writeValueAsString(SharedModelGuaranteesTest.JSON.createObjectNode()
                .put("name", "wild_cert").put("cert_content", chainPem).put("private_key", keyPem)
                .put("type", "global"));
    }
}
