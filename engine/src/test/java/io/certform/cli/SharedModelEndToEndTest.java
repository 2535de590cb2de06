package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The certificate-management model end to end, on the simulator: 1,000 domains attached in batches, a renewal
 * that is one update in place, and migrations between the two models that never leave a domain bare.
 */
class SharedModelEndToEndTest {

    static final int DOMAINS = 1000;
    static final int CHUNK = 100;
    static final TestCertificates.Authority CA = TestCertificates.authority("Shared CA");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    static Simulator start() throws Exception {
        return ShopWorld.start(DOMAINS, 4, ShopWorld.options(5));
    }

    Path manifest(Simulator simulator, String mode, TestCertificates.Issued cert) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(CHUNK).mode(mode).write(dir, cert);
    }

    static CliRun cli(String... args) {
        return CliRun.run(args);
    }

    static JsonNode calls(Simulator simulator) throws Exception {
        String body = HTTP.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_simulator/state")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body).path("counters").path("calls");
    }

    static long writes(JsonNode before, JsonNode after, String... kinds) {
        long n = 0;
        for (String kind : kinds) {
            n += after.path(kind).asLong() - before.path(kind).asLong();
        }
        return n;
    }

    static final String[] CERTIFICATE_WRITES = {"certificate_create", "certificate_update", "certificate_delete",
            "certificate_attach", "certificate_detach", "domain_certificates_attach", "domain_certificates_detach"};
    static final String[] DOMAIN_WRITES = {"domain_certificate_add", "domain_certificate_delete"};

    List<ResourceState> state() throws Exception {
        return ShopWorld.resources(dir);
    }

    @Test
    void thousandDomains_attachInChunks_renewIsOnePut_nextPlanSaysNoChanges() throws Exception {
        try (Simulator simulator = start()) {
            Path manifest = manifest(simulator, "shared", CA.issue("*.shop.example.com"));
            JsonNode before = calls(simulator);
            CliRun apply = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, apply.exitCode(), apply.toString());
            JsonNode after = calls(simulator);
            long certificateCalls = writes(before, after, CERTIFICATE_WRITES);
            assertTrue(certificateCalls <= 1 + (DOMAINS + CHUNK - 1) / CHUNK,
                    "certificate calls: " + certificateCalls + "\n" + after);
            assertEquals(1, writes(before, after, "certificate_create"));
            assertEquals(DOMAINS / CHUNK, writes(before, after, "certificate_attach"));
            assertEquals(0, writes(before, after, DOMAIN_WRITES), "no per-domain call");
            String id = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow().sslId();
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            assertEquals(DOMAINS + 1, state().size());

            CliRun plan = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("No changes."), plan.out());

            manifest(simulator, "shared", CA.issue("*.shop.example.com")); // renewed: a new serial, same names
            JsonNode beforeRenewal = calls(simulator);
            CliRun renew = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, renew.exitCode(), renew.toString());
            JsonNode afterRenewal = calls(simulator);
            assertEquals(1, writes(beforeRenewal, afterRenewal, "certificate_update"), renew.out());
            assertEquals(1, writes(beforeRenewal, afterRenewal, CERTIFICATE_WRITES), afterRenewal.toString());
            assertEquals(0, writes(beforeRenewal, afterRenewal, DOMAIN_WRITES));
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
            }
            CliRun again = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, again.exitCode(), again.toString());
            assertTrue(again.out().contains("No changes."), again.out());
        }
    }

    @Test
    void migration_perDomainToSharedAndBack_neverLeavesADomainBare() throws Exception {
        try (Simulator simulator = start()) {
            TestCertificates.Issued cert = CA.issue("*.shop.example.com");
            Path manifest = manifest(simulator, "per-domain", cert);
            CliRun first = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, first.exitCode(), first.toString());
            for (World.DomainView d : simulator.world().domains()) {
                assertTrue(d.sslId() != null, d.urlDomain());
            }
            List<String> bare = BareDomains.watch(simulator);

            manifest(simulator, "shared", cert);
            CliRun plan = cli("plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertTrue(plan.out().contains("+/-"), plan.out());
            JsonNode before = calls(simulator);
            CliRun toShared = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, toShared.exitCode(), toShared.toString());
            JsonNode after = calls(simulator);
            assertEquals(0, bare.size(), "domains left without a certificate on the way to shared, e.g. "
                    + bare.stream().limit(5).toList());
            assertEquals(1, writes(before, after, "certificate_create"));
            assertEquals(DOMAINS / CHUNK, writes(before, after, "certificate_attach"));
            assertEquals(DOMAINS, writes(before, after, "domain_certificate_delete"));
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(1, d.attachedIds().size(), d.urlDomain());
                assertTrue(d.sslId() != null, d.urlDomain());
            }
            assertTrue(state().stream().noneMatch(ResourceState::deposed), state().toString());
            CliRun settled = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, settled.exitCode(), settled.toString());

            manifest(simulator, "per-domain", cert);
            JsonNode beforeBack = calls(simulator);
            CliRun back = cli("apply", "-f", manifest.toString(), "--auto-approve");
            assertEquals(0, back.exitCode(), back.toString());
            JsonNode afterBack = calls(simulator);
            assertEquals(0, bare.size(), "domains left without a certificate on the way back to per-domain, e.g. "
                    + bare.stream().limit(5).toList());
            assertEquals(DOMAINS, writes(beforeBack, afterBack, "domain_certificate_add"));
            assertEquals(DOMAINS / CHUNK, writes(beforeBack, afterBack, "certificate_detach"));
            assertEquals(1, writes(beforeBack, afterBack, "certificate_delete"));
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(), d.attachedIds(), d.urlDomain());
            }
            assertTrue(state().stream().noneMatch(ResourceState::shared), "no shared object left in state");
            CliRun last = cli("plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, last.exitCode(), last.toString());
        }
    }
}
