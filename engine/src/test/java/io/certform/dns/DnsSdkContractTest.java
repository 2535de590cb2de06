package io.certform.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.exception.ClientRequestException;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.dns.v2.DnsClient;
import com.huaweicloud.sdk.dns.v2.model.CreateRecordSetRequest;
import com.huaweicloud.sdk.dns.v2.model.CreateRecordSetRequestBody;
import com.huaweicloud.sdk.dns.v2.model.CreateRecordSetResponse;
import com.huaweicloud.sdk.dns.v2.model.DeleteRecordSetRequest;
import com.huaweicloud.sdk.dns.v2.model.DeleteRecordSetResponse;
import com.huaweicloud.sdk.dns.v2.model.ListPublicZonesRequest;
import com.huaweicloud.sdk.dns.v2.model.ListPublicZonesResponse;
import com.huaweicloud.sdk.dns.v2.model.ListRecordSetsByZoneRequest;
import com.huaweicloud.sdk.dns.v2.model.ListRecordSetsByZoneResponse;
import com.huaweicloud.sdk.dns.v2.model.PublicZoneResp;
import com.huaweicloud.sdk.dns.v2.model.ShowRecordSetRequest;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Huawei Cloud DNS SDK ({@code huaweicloud-sdk-dns} 3.1.130) against the simulator, signing with
 * AK/SK: the simulator's DNS API is what the SDK expects (paths, bodies, statuses, the signature), so the engine's
 * client, tested against the simulator, speaks to the real service's contract.
 */
class DnsSdkContractTest {

    private static final String AK = "SDKCONTRACTAK0000001";
    private static final String SK = "sdk-contract-secret-key-0000000000000001";
    private Simulator simulator;
    private DnsClient sdk;

    @BeforeEach
    void start() throws Exception {
        World world = new World();
        world.dns().addZone("example.com.");
        world.dns().addZone("shop.example.com.");
        simulator = Simulator.start(world, SimulatorOptions.defaults().withTokens(java.util.Set.of("only-this"))
                .withKeys(Map.of(AK, new SimulatorOptions.AccessKey(SK, null))), 0);
        sdk = client(SK);
    }

    private DnsClient client(String secretKey) {
        return DnsClient.newBuilder()
                .withCredential(new BasicCredentials().withAk(AK).withSk(secretKey).withProjectId("proj1"))
                .withEndpoint(simulator.baseUrl())
                .withHttpConfig(HttpConfig.getDefaultHttpConfig().withIgnoreSSLVerification(true).withTimeout(10))
                .build();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    @Test
    void listsZones_createsListsShowsAndDeletesATxtRecordSet() {
        ListPublicZonesResponse zones = sdk.listPublicZones(new ListPublicZonesRequest().withType("public"));
        assertEquals(List.of("example.com.", "shop.example.com."),
                zones.getZones().stream().map(PublicZoneResp::getName).toList());
        assertEquals(2, zones.getMetadata().getTotalCount());
        String zoneId = zones.getZones().get(1).getId();

        CreateRecordSetResponse made = sdk.createRecordSet(new CreateRecordSetRequest().withZoneId(zoneId)
                .withBody(new CreateRecordSetRequestBody().withName("_acme-challenge.a.shop.example.com.")
                        .withType("TXT").withTtl(60).withRecords(List.of("\"v1\"", "\"v2\""))));
        assertEquals(202, made.getHttpStatusCode());
        assertEquals("PENDING_CREATE", made.getStatus());
        assertEquals("shop.example.com.", made.getZoneName());
        assertEquals(List.of("\"v1\"", "\"v2\""), made.getRecords());

        ListRecordSetsByZoneResponse listed = sdk.listRecordSetsByZone(new ListRecordSetsByZoneRequest()
                .withZoneId(zoneId).withName("_acme-challenge.a.shop.example.com.").withType("TXT"));
        assertEquals(1, listed.getRecordsets().size());
        assertEquals(made.getId(), listed.getRecordsets().get(0).getId());
        assertEquals("ACTIVE", listed.getRecordsets().get(0).getStatus());
        assertEquals("ACTIVE", sdk.showRecordSet(new ShowRecordSetRequest().withZoneId(zoneId)
                .withRecordsetId(made.getId())).getStatus());

        ClientRequestException twice = assertThrows(ClientRequestException.class, () -> sdk.createRecordSet(
                new CreateRecordSetRequest().withZoneId(zoneId).withBody(new CreateRecordSetRequestBody()
                        .withName("_acme-challenge.a.shop.example.com.").withType("TXT")
                        .withRecords(List.of("\"v3\"")))));
        assertEquals(400, twice.getHttpStatusCode());
        assertEquals("DNS.0312", twice.getErrorCode());

        DeleteRecordSetResponse deleted = sdk.deleteRecordSet(new DeleteRecordSetRequest().withZoneId(zoneId)
                .withRecordsetId(made.getId()));
        assertEquals("PENDING_DELETE", deleted.getStatus());
        ClientRequestException gone = assertThrows(ClientRequestException.class, () -> sdk.showRecordSet(
                new ShowRecordSetRequest().withZoneId(zoneId).withRecordsetId(made.getId())));
        assertEquals(404, gone.getHttpStatusCode());
        assertEquals("DNS.0004", gone.getErrorCode());
    }

    @Test
    void aWrongSecretKeyIsRefusedByTheSignatureCheck() {
        ClientRequestException refused = assertThrows(ClientRequestException.class,
                () -> client("not-the-secret-key-000000000000000000000").listPublicZones(new ListPublicZonesRequest()));
        assertEquals(401, refused.getHttpStatusCode());
        assertTrue(refused.getErrorMsg() != null && !refused.getErrorMsg().isEmpty(), refused.toString());
    }
}
