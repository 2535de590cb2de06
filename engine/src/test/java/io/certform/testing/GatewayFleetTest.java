package io.certform.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.AkSkSigner;
import io.certform.base.Secret;
import io.certform.simulator.Faults;
import io.certform.simulator.SimulatorOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The fleet fixture starts what the fleet tests take for granted, and writes the block that reaches it. */
class GatewayFleetTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static GatewayFleet threeRegions(int domains) throws Exception {
        return GatewayFleet.builder()
                .provider("staging", p -> p.region("cn-north-4").domains(domains))
                .provider("eu", p -> p.region("eu-west-101").domains(domains).instance("inst-eu")
                        .credentials(GatewayFleet.Credentials.AKSK).lines("parallelism: 4", "rate: 20/s"))
                .provider("us", p -> p.project("0a1b2c3d").domains(domains)
                        .credentials(GatewayFleet.Credentials.CONVENTIONAL))
                .start();
    }

    private static String group(GatewayFleet.Member m, String project, int domain) {
        return m.simulator().baseUrl() + "/v2/" + project + "/apic/instances/" + m.instanceId() + "/api-groups/"
                + m.domains().get(domain).groupId();
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Auth-Token", token).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> answer) {
        return JSON.readTree(answer.body()).path("error_code").asString();
    }

    @Test
    void threeProviders_of2000Domains_eachItsOwnWorld_project_andCredentials() throws Exception {
        try (GatewayFleet fleet = threeRegions(2000)) {
            GatewayFleet.Member staging = fleet.member("staging");
            GatewayFleet.Member eu = fleet.member("eu");
            GatewayFleet.Member us = fleet.member("us");
            assertEquals(3, fleet.members().stream().map(m -> m.simulator().port()).distinct().count());
            for (GatewayFleet.Member m : fleet.members()) {
                assertEquals(2000, m.simulator().world().domains().size(), m.name());
                assertEquals(m.projectId(), m.simulator().world().projectId(), m.name());
            }
            assertEquals("d1999.eu.example.com", fleet.world("eu").domains().get(1999).urlDomain());
            assertEquals("inst-eu", fleet.world("eu").domains().get(0).instanceId());
            assertEquals("eu-west-101", fleet.world("eu").region());

            String token = fleet.env().get(GatewayFleet.variable("staging", "TOKEN"));
            JsonNode read = JSON.readTree(get(group(staging, "proj-staging", 1999), token).body());
            assertEquals("d1995.staging.example.com", read.path("url_domains").get(0).path("domain").asString());
            HttpResponse<String> wrongProject = get(group(staging, "proj-eu", 0), token);
            assertEquals(404, wrongProject.statusCode(), "another project's path, as the real service answers it");
            assertEquals("APIG.3030", code(wrongProject));
            assertEquals(401, get(group(us, "0a1b2c3d", 0), token).statusCode(), "each provider its own credentials");
            assertEquals(200, get(group(us, "0a1b2c3d", 0), fleet.env().get("CERTFORM_AUTH_TOKEN")).statusCode());
            assertEquals(401, get(group(eu, "proj-eu", 0), "tok").statusCode(), "eu takes AK/SK signatures only");

            Map<String, String> env = fleet.env();
            OkHttpClient signed = new OkHttpClient.Builder().addInterceptor(new AkSkSigner(
                    env.get(GatewayFleet.variable("eu", "AK")), new Secret(env.get(GatewayFleet.variable("eu", "SK")),
                    "test", null), null, "proj-eu", Clock.systemUTC())).build();
            try (Response answer = signed.newCall(new Request.Builder().url(group(eu, "proj-eu", 7)).build())
                    .execute()) {
                assertEquals(200, answer.code(), "eu's AK/SK from the environment the block names");
            }
        }
    }

    @Test
    void faults_andAuthFailure_belongToOneProvider() throws Exception {
        try (GatewayFleet fleet = GatewayFleet.builder()
                .provider("calm", p -> p.domains(5))
                .provider("busy", p -> p.domains(5).options(SimulatorOptions.defaults()
                        .withFaults(Faults.none().withRates(0, 1, 0, 0))))
                .provider("locked", p -> p.domains(5).authFail(2))
                .start()) {
            GatewayFleet.Member calm = fleet.member("calm");
            GatewayFleet.Member busy = fleet.member("busy");
            GatewayFleet.Member locked = fleet.member("locked");
            assertEquals(429, get(group(busy, "proj-busy", 0), GatewayFleet.token("busy")).statusCode());
            assertEquals(200, get(group(calm, "proj-calm", 0), GatewayFleet.token("calm")).statusCode());
            String lockedToken = GatewayFleet.token("locked");
            assertEquals(List.of(401, 401, 200), List.of(
                    get(group(locked, "proj-locked", 0), lockedToken).statusCode(),
                    get(group(locked, "proj-locked", 0), lockedToken).statusCode(),
                    get(group(locked, "proj-locked", 0), lockedToken).statusCode()));
            fleet.simulator("locked").failAuthenticationUntilRestored();
            assertEquals(401, get(group(locked, "proj-locked", 0), lockedToken).statusCode());
            assertEquals(200, get(group(calm, "proj-calm", 0), GatewayFleet.token("calm")).statusCode());
            fleet.simulator("locked").restoreAuthentication();
            assertEquals(200, get(group(locked, "proj-locked", 0), lockedToken).statusCode());
            assertEquals(3, fleet.simulator("locked").authenticationFailures());
            assertEquals(0, fleet.simulator("calm").authenticationFailures());
        }
    }

    @Test
    void providersBlock_andManifest_nameEachEndpointProjectAndCredentialReference() throws Exception {
        try (GatewayFleet fleet = threeRegions(3)) {
            String block = fleet.providersBlock();
            assertTrue(block.startsWith("providers:\n  staging:\n    endpoint: \"" + fleet.simulator("staging").baseUrl()
                    + "\"\n    region: cn-north-4\n    project_id: proj-staging\n"
                    + "    credentials: { token: \"${env:CERTFORM_FLEET_STAGING_TOKEN}\" }\n  eu:\n"), block);
            Path manifest = fleet.write(dir, fleet.certificate(), "mode: shared");
            String text = Files.readString(manifest);
            assertTrue(text.contains("      - { provider: eu, instance_id: inst-eu, group_id: grp0, domain_id: dom2,"
                    + " domain: d2.eu.example.com }\n"), text);
            assertTrue(Files.isRegularFile(dir.resolve("wild.key")));

            @SuppressWarnings("unchecked")
            Map<String, Object> tree = (Map<String, Object>) new Load(LoadSettings.builder().build())
                    .loadFromString(text);
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> providers = (Map<String, Map<String, Object>>) tree.get("providers");
            assertEquals(List.of("staging", "eu", "us"), List.copyOf(providers.keySet()), "in declared order");
            assertEquals(Map.of("ak", "${env:CERTFORM_FLEET_EU_AK}", "sk", "${env:CERTFORM_FLEET_EU_SK}"),
                    providers.get("eu").get("credentials"));
            assertEquals(4, providers.get("eu").get("parallelism"));
            assertEquals("0a1b2c3d", providers.get("us").get("project_id"));
            assertTrue(!providers.get("us").containsKey("credentials"), "conventional sources: no block");
            @SuppressWarnings("unchecked")
            Map<String, Object> site = ((Map<String, Map<String, Object>>) tree.get("certificates")).get("site");
            assertEquals(9, ((List<?>) site.get("domains")).size());
            assertEquals("shared", site.get("mode"));

            Matcher reference = Pattern.compile("\\$\\{env:([A-Z0-9_]+)}").matcher(text);
            int references = 0;
            while (reference.find()) {
                references++;
                assertTrue(fleet.env().containsKey(reference.group(1)), reference.group(1) + " is in env()");
            }
            assertEquals(3, references);
            assertNotEquals(fleet.env().get("CERTFORM_FLEET_EU_SK"), fleet.env().get("CERTFORM_FLEET_EU_AK"));
        }
    }
}
