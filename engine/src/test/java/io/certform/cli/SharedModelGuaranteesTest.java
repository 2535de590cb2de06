package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The shared model under the conditions that break a naive tool: lost answers, look-alikes, drift, targeting. */
class SharedModelGuaranteesTest {

    static final TestCertificates.Authority CA = TestCertificates.authority("Shared guarantees CA");
    static final TestCertificates.Issued CERT = CA.issue("*.shop.example.com");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static Simulator start(int domains, Faults faults) throws Exception {
        return ShopWorld.start(domains, 4, ShopWorld.options(17).withFaults(faults));
    }

    Path manifest(Simulator simulator, TestCertificates.Issued cert, String... certificateLines) throws Exception {
        return manifest(dir, simulator, cert, certificateLines);
    }

    /** The shared manifest of these tests, written in {@code dir}: certificate 'wild' on every shop domain. */
    static Path manifest(Path dir, Simulator simulator, TestCertificates.Issued cert, String... certificateLines)
            throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(20).mode("shared").certificate(certificateLines)
                .write(dir, cert);
    }

    static CliRun cli(String... args) {
        return CliRun.run(args);
    }

    List<ResourceState> state() throws Exception {
        return ShopWorld.resources(dir);
    }

    /** Creates a certificate outside certform, through the API. */
    static String createOutside(Simulator simulator, String name, TestCertificates.Issued cert) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("name", name);
        body.put("cert_content", cert.chainPem());
        body.put("private_key", cert.privateKeyPem());
        body.put("type", "global");
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
                        + "/v2/proj1/apic/certificates")).header("X-Auth-Token", "tok")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body()).path("id").asText().trim();
    }

    static HttpResponse<String> call(Simulator simulator, String method, String path, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path)).header("X-Auth-Token", "tok")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void lossyServer_lostAnswersAndLateWrites_oneCertificateNoDuplicateEveryDomainAttached() throws Exception {
        Faults faults = Faults.none().withRates(0.1, 0.05, 0.15, 0).withRetryAfter(Duration.ZERO)
                .withLateWrites(0.15, Duration.ofMillis(300));
        try (Simulator simulator = start(120, faults)) {
            Path manifest = manifest(simulator, CERT);
            CliRun last = null;
            for (int run = 0; run < 6; run++) {
                last = cli("apply", "-f", manifest.toString(), "--auto-approve", "--settle-window", "2s");
                if (last.exitCode() == 0) {
                    break;
                }
            }
            assertEquals(0, last.exitCode(), last.toString());
            assertTrue(simulator.awaitWritesLanded(Duration.ofSeconds(10)));
            assertEquals(1, simulator.world().managedCertificatesCreated(),
                    "a create whose answer was lost was found, never sent twice");
            String id = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow().sslId();
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            CliRun plan = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), plan.toString());
        }
    }

    @Test
    void recovery_neverAdoptsALookAlikeCreatedOutside_byNameAlone() throws Exception {
        try (Simulator simulator = start(8, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            // the run dies after journalling its create and before sending it
            CliRun.killedApply(manifest, "after-intent:1");
            String foreign = createOutside(simulator, "wild_cert", CA.issue("*.shop.example.com"));
            CliRun rerun = cli("apply", "-f", manifest.toString(), "--auto-approve", "--settle-window", "1s");
            assertEquals(1, rerun.exitCode(), "the name is taken by another certificate: " + rerun);
            assertTrue((rerun.out() + rerun.err()).contains("A certificate named wild_cert already exists"),
                    rerun.toString());
            assertTrue(state().stream().noneMatch(r -> foreign.equals(r.sslId())),
                    "the look-alike is not recorded as ours");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(), d.attachedIds(), d.urlDomain() + ": nothing attached to a certificate"
                        + " certform did not make");
            }
        }
    }

    @Test
    void import_adoptsOnlyTheIdenticalCertificate_withItsAttachments() throws Exception {
        try (Simulator simulator = start(6, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            String lookAlike = createOutside(simulator, "wild_cert", CA.issue("*.shop.example.com"));
            CliRun refused = cli("import", "-f", manifest.toString(), "wild");
            assertEquals(1, refused.exitCode(), refused.toString());
            assertTrue(refused.err().contains("is certificate 'wild'") || refused.err().contains("serial"),
                    refused.toString());
            assertTrue(state().isEmpty(), "nothing imported");

            call(simulator, "DELETE", "/v2/proj1/apic/certificates/" + lookAlike, null);
            String ours = createOutside(simulator, "wild_cert", CERT);
            HttpResponse<String> attached = call(simulator, "POST", "/v2/proj1/apic/certificates/" + ours
                    + "/domains/attach", "{\"domains\":[{\"domain\":\"api1.shop.example.com\",\"instance_ids\":"
                    + "[\"inst1\"]},{\"domain\":\"api2.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}");
            assertEquals(204, attached.statusCode(), attached.body());
            CliRun imported = cli("import", "-f", manifest.toString(), "wild");
            assertEquals(0, imported.exitCode(), imported.toString());
            List<String> addresses = state().stream().map(ResourceState::address).sorted().toList();
            assertEquals(List.of("wild", "wild[api1.shop.example.com]", "wild[api2.shop.example.com]"), addresses);
            long created = simulator.world().managedCertificatesCreated();
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(created, simulator.world().managedCertificatesCreated(), "the adopted one is used");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(ours), d.attachedIds(), d.urlDomain());
            }
        }
    }

    @Test
    void driftOutside_detachedDomainAndDeletedCertificate_arePlannedBack() throws Exception {
        try (Simulator simulator = start(6, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String id = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow().sslId();
            assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + id + "/domains/detach",
                    "{\"domains\":[{\"domain\":\"api3.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}")
                    .statusCode());
            // later than the settle window: a domain not showing the attachment is drift, not a lagging read
            java.time.Clock later = java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofMinutes(10));
            CliRun plan = CliRun.runAt(later, "plan", "-f", manifest.toString(), "--json");
            JsonNode json = JSON.readTree(plan.out());
            SchemaConformanceTest.assertConformsToPlanSchema(json);
            List<String> changed = Stream.of(json.path("resource_changes")).flatMap(n -> {
                java.util.List<JsonNode> all = new java.util.ArrayList<>();
                n.forEach(all::add);
                return all.stream();
            }).filter(c -> !c.path("actions").get(0).asText().equals("no-op"))
                    .map(c -> c.path("address").asText()).toList();
            assertEquals(List.of("wild[api3.shop.example.com]"), changed, plan.out());
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());

            // detached everywhere and deleted outside: made again and attached again
            StringBuilder all = new StringBuilder("{\"domains\":[");
            for (int i = 0; i < 6; i++) {
                all.append(i == 0 ? "" : ",").append("{\"domain\":\"api").append(i)
                        .append(".shop.example.com\",\"instance_ids\":[\"inst1\"]}");
            }
            call(simulator, "POST", "/v2/proj1/apic/certificates/" + id + "/domains/detach", all + "]}");
            assertEquals(204, call(simulator, "DELETE", "/v2/proj1/apic/certificates/" + id, null).statusCode());
            CliRun again = CliRun.runAt(later, "apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, again.exitCode(), again.toString());
            String next = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();
            assertFalse(next.equals(id));
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(next), d.attachedIds(), d.urlDomain());
            }
            assertEquals(0, cli("plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode());
        }
    }

    @Test
    void removingTheCertificate_detachesOnlyWhatCertformAttached_andKeepsACertificateStillInUse() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String id = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow().sslId();
            simulator.world().addDomain("inst1", "grpX", "x1", "other.shop.example.com");
            // someone else attaches the shared certificate to a domain certform does not manage
            assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + id + "/domains/attach",
                    "{\"domains\":[{\"domain\":\"other.shop.example.com\",\"instance_ids\":[\"inst1\"]}]}")
                    .statusCode());
            CliRun destroy = cli("destroy", "-f", manifest.toString(), "--auto-approve");
            assertEquals(1, destroy.exitCode(), destroy.toString());
            assertTrue((destroy.out() + destroy.err()).contains("still attached"), destroy.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(d.urlDomain().equals("other.shop.example.com") ? List.of(id) : List.of(),
                        d.attachedIds(), d.urlDomain() + ": only what certform attached is detached");
            }
            assertEquals(List.of("wild"), state().stream().map(ResourceState::address).toList(),
                    "the certificate still in use stays recorded");
        }
    }

    @Test
    void preventDestroy_and_targeting_coverTheSharedResources() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(simulator, CERT, "lifecycle: { prevent_destroy: true }");
            CliRun targeted = cli("apply", "-f", manifest.toString(), "--auto-approve", "--target",
                    "wild[api2.shop.example.com]");
            assertEquals(0, targeted.exitCode(), targeted.toString());
            assertEquals(List.of("wild", "wild[api2.shop.example.com]"),
                    state().stream().map(ResourceState::address).sorted().toList(),
                    "the targeted attachment brings its certificate resource, nothing else");
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            CliRun destroy = cli("plan", "-f", manifest.toString(), "-destroy");
            assertEquals(1, destroy.exitCode(), destroy.toString());
            assertTrue(destroy.err().contains("prevent_destroy"), destroy.toString());
        }
    }

    @Test
    void modeSwitch_sharedToPerDomain_givesTheCertificatesRealReason_andShowsTheBindingsAttributesAsTheyWere()
            throws Exception {
        try (Simulator simulator = start(2, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            Files.writeString(manifest, Files.readString(manifest).replace("    mode: shared\n", ""));

            CliRun plan = cli("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            String out = plan.out();
            assertFalse(out.contains("the binding is no longer in the manifest"), out);
            String certificate = out.substring(out.indexOf("# wild will be destroyed"), out.indexOf("# wild[api0"));
            assertTrue(certificate.contains("(because the certificate's mode changed (per-domain / shared)"), out);
            assertFalse(out.contains("null ->"), "the bindings had the shared certificate's attributes: " + out);
            assertTrue(out.contains("        ssl_name       = \"wild_cert\"\n"), out);
            assertTrue(out.contains("      ~ model          = \"shared\" -> \"per-domain\""), out);
            CliRun markdown = cli("plan", "--format", "markdown", "-f", manifest.toString());
            assertEquals(0, markdown.exitCode(), markdown.toString());
            assertFalse(markdown.out().contains("null ->"), markdown.out());
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(0, cli("plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode());
        }
    }

    @Test
    void scopeChange_replacesTheCertificateCreateFirst_noDomainBare_andTheDeclaredNameComesBack() throws Exception {
        try (Simulator simulator = start(8, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            String oldId = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();
            java.util.List<String> bare = BareDomains.watch(simulator);
            manifest(simulator, CERT, "type: instance", "instance_id: inst1");
            CliRun plan = cli("plan", "-f", manifest.toString());
            assertTrue(plan.out().contains("+/- certificate \"wild\""), plan.out());
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(java.util.List.of(), bare, "no domain left without a certificate");
            java.util.List<ResourceState> state = state();
            assertTrue(state.stream().noneMatch(ResourceState::deposed), state.toString());
            ResourceState certificate = state.stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            assertFalse(certificate.sslId().equals(oldId));
            assertEquals("instance", certificate.type());
            assertEquals("wild_cert", certificate.sslName(), "created as wild_cert_2, renamed once the old one went");
            assertEquals(1, simulator.world().managedCertificateCount(), "the old certificate was deleted");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain());
            }
            assertEquals(0, cli("plan", "-f", manifest.toString(), "--detailed-exitcode").exitCode());
        }
    }

    @Test
    void savedPlan_ofTheSharedModel_appliesAsShown_andGoesStaleWhenTheCertificateChanges() throws Exception {
        try (Simulator simulator = start(5, Faults.none())) {
            Path manifest = manifest(simulator, CERT);
            Path planFile = dir.resolve("shared.plan");
            CliRun plan = cli("plan", "-f", manifest.toString(), "-out", planFile.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            CliRun apply = cli("apply", planFile.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(6, state().size());
            manifest(simulator, CA.issue("*.shop.example.com"));
            assertEquals(0, cli("plan", "-f", manifest.toString(), "-out", planFile.toString()).exitCode());
            manifest(simulator, CA.issue("*.shop.example.com")); // renewed again after the plan was saved
            CliRun stale = cli("apply", planFile.toString());
            assertEquals(1, stale.exitCode(), stale.toString());
            assertTrue(stale.err().contains("Saved plan is stale"), stale.toString());
            assertEquals(0, simulator.world().managedCertificatesUpdated(), "nothing was sent");
        }
    }

    @Test
    void wrongProject_refreshOfASharedCertificate_isAnError_andNothingIsDroppedOrSent() throws Exception {
        try (Simulator simulator = ShopWorld.start(4, 4, ShopWorld.options(17)
                .withProjects(Set.of("proj1")))) {
            Path manifest = manifest(simulator, CERT);
            assertEquals(0, cli("apply", "-f", manifest.toString(), "--auto-approve").exitCode());
            List<ResourceState> before = state();
            // as an earlier certform wrote it, recording no gateway (one that records it is refused at once:
            // StateGatewayTest), so that the other project's 404s are met
            Path file = dir.resolve("certform.state.json");
            tools.jackson.databind.node.ObjectNode old = (tools.jackson.databind.node.ObjectNode)
                    tools.jackson.databind.json.JsonMapper.builder().build().readTree(Files.readString(file));
            old.remove("gateways");
            Files.writeString(file, old.toString());
            Files.writeString(manifest, Files.readString(manifest).replace("project_id: proj1", "project_id: proj2"));
            long created = simulator.world().managedCertificatesCreated();
            CliRun plan = cli("plan", "-f", manifest.toString());
            assertEquals(1, plan.exitCode(), plan.toString());
            assertTrue(plan.err().contains("cannot refresh wild: "), plan.toString());
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(1, apply.exitCode(), apply.toString());
            assertEquals(before, state(), "a 404 from the wrong project is not 'the certificate is gone'");
            assertEquals(created, simulator.world().managedCertificatesCreated(), "nothing was sent");
        }
    }
}
