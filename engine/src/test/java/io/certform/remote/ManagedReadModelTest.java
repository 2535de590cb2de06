package io.certform.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.CertificateDetail;
import io.certform.api.CertificateForm;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.ManagedCertificates;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The read model of shared certificates: each fact read once per run, paged, and one rule for "carries". */
class ManagedReadModelTest {

    private static final int DOMAINS = 1_200;
    private static final TestCertificates.Issued WILD = TestCertificates.authority("Read Model CA")
            .issue("*.example.com");

    private static JsonNode calls(Simulator simulator) throws Exception {
        HttpResponse<String> state = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.baseUrl() + "/_simulator/state")).build(), HttpResponse.BodyHandlers.ofString());
        return JsonMapper.builder().build().readTree(state.body()).path("counters").path("calls");
    }

    @Test
    void attachments_arePagedOncePerRun_andAnswerWhetherADomainCarriesTheCertificate() throws Exception {
        World world = new World();
        for (int i = 0; i < DOMAINS; i++) {
            world.addDomain("inst1", "grp" + (i / 5), "dom" + i, "d" + i + ".example.com");
        }
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(Set.of("tok")), 0)) {
            GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("tok"), Duration.ofSeconds(10)),
                    new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
            CertificateForm form = new CertificateForm("wild_2026", WILD.chainPem(),
                    new Secret(WILD.privateKeyPem(), "test", null), "global", null, null, null, null, null);
            String id = client.createCertificate(form).id();
            client.createCertificate(new CertificateForm("wild_2026_old", form.certContent(), form.privateKey(),
                    "global", null, null, null, null, null));
            for (int from = 0; from < DOMAINS - 1; from += 500) { // the last domain stays bare
                client.attachDomains(id, IntStream.range(from, Math.min(from + 500, DOMAINS - 1))
                        .mapToObj(i -> new ManagedCertificates.DomainTarget("d" + i + ".example.com",
                                List.of("inst1"), false)).toList());
            }

            RemoteDirectory directory = new RemoteDirectory(client, "test", RemoteDirectory.Reads.DIRECT);
            List<ManagedCertificates.AttachedDomain> attached = directory.attachments(id, false);
            assertEquals(DOMAINS - 1, attached.size());
            assertEquals(3, calls(simulator).path("certificate_attached_domains").asInt(), "1,199 in pages of 500");
            assertTrue(directory.carriesManaged(new DomainLocation("inst1", "grp0", "dom0"), id, false));
            assertFalse(directory.carriesManaged(new DomainLocation("inst1", "grp239", "dom1199"), id, false));
            assertEquals(3, calls(simulator).path("certificate_attached_domains").asInt(), "read once per run");

            List<CertificateDetail> named = directory.managedCertificatesNamed("wild_2026");
            assertEquals(List.of(id), named.stream().map(CertificateDetail::id).toList(),
                    "the service's name filter is fuzzy; the read model is exact");
            assertEquals("wild_2026", directory.managedCertificate(id, false).name());
            assertNull(directory.managedCertificate("nope", false));
            assertNull(directory.attachments("nope", false));
        }
    }
}
