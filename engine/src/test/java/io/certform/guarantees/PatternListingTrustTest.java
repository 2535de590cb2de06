package io.certform.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.cli.CliRun;
import io.certform.cli.ShopWorld;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.ResourceState;
import io.certform.testkit.TestCertificates;
import io.certform.testing.GatewayWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance pattern's selection comes from the instance's group listing. A listing that does not show a group
 * (offset paging while a group is deleted, a page that came back short, a group listed without its domains) is
 * not "the group was read and the domain is not in it": it must never plan the removal of a binding the state
 * records on a domain that is still there.
 */
class PatternListingTrustTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final TestCertificates.Issued WILD = TestCertificates.authority("Listing CA")
            .issue("*.shop.example.com");
    private static final String LIST = "/v2/proj1/apic/instances/inst1/api-groups";

    @TempDir
    Path dir;

    private static GatewayWorld.Builder world() {
        return GatewayWorld.of(0).domain("grpX", "x1", "unrelated.example.net")
                .domain("grpA", "a1", "api.shop.example.com").domain("grpB", "b1", "pay.shop.example.com");
    }

    private Path manifest() throws Exception {
        return GatewayWorld.manifest(wm.baseUrl(), List.of()).key("wild").name("wild_cert")
                .domains("{ match: \"*.shop.example.com\" }").write(dir, WILD);
    }

    private List<String> addresses() throws Exception {
        return ShopWorld.resources(dir).stream()
                .map(ResourceState::address).sorted().toList();
    }

    private static String group(String id, String domainId, String name, boolean withDomains) {
        return "{\"id\":\"" + id + "\",\"name\":\"" + id + "\"" + (withDomains ? ",\"url_domains\":[{\"id\":\""
                + domainId + "\",\"domain\":\"" + name + "\"}]" : "") + "}";
    }

    private Simulator boundBoth(Path manifest) throws Exception {
        Simulator simulator = world().options(SimulatorOptions.defaults().withSeed(5)).startSimulator();
        wm.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(simulator.baseUrl())));
        CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
        assertEquals(0, apply.exitCode(), apply.toString());
        assertEquals(List.of("wild[api.shop.example.com]", "wild[pay.shop.example.com]"), addresses());
        return simulator;
    }

    private void assertKeepsBothBindings(Path manifest) throws Exception {
        String before = Files.readString(dir.resolve("certform.state.json"));
        CliRun plan = CliRun.run("plan", "--detailed-exitcode", "-f", manifest.toString());
        assertFalse(plan.out().contains("destroy") && !plan.out().contains("0 to destroy"),
                "a listing that did not show grpB is not a reason to unbind pay.shop.example.com\n" + plan);
        assertFalse(plan.out().contains("wild[pay.shop.example.com] will be"), plan.toString());
        CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
        assertEquals(List.of("wild[api.shop.example.com]", "wild[pay.shop.example.com]"), addresses(),
                "the state still records the binding on pay.shop.example.com\n" + apply);
        assertTrue(Files.readString(dir.resolve("certform.state.json")).contains("pay.shop.example.com"), before);
    }

    /**
     * Offset paging while a group is deleted: page one (the server's page is two groups) shows grpX and grpA with
     * total 3; grpX is deleted before page two, so offset 2 is past the end (total 2) and grpB is never listed.
     */
    @Test
    void listingThatShrinksBetweenPages_doesNotUnbindTheGroupItSkipped() throws Exception {
        Path manifest = manifest();
        try (Simulator simulator = boundBoth(manifest)) {
            wm.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("offset", equalTo("0")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("{\"total\":3,\"size\":2,\"groups\":["
                            + group("grpX", "x1", "unrelated.example.net", true) + ","
                            + group("grpA", "a1", "api.shop.example.com", true) + "]}")));
            wm.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("offset", equalTo("2")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("{\"total\":2,\"size\":0,\"groups\":[]}")));
            assertKeepsBothBindings(manifest);
        }
    }

    /** A group listed without its domains (the listing did not carry them) is not a group read without them. */
    @Test
    void groupListedWithoutItsDomains_doesNotUnbindItsDomain() throws Exception {
        Path manifest = manifest();
        try (Simulator simulator = boundBoth(manifest)) {
            wm.stubFor(get(urlPathEqualTo(LIST)).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("{\"total\":3,\"size\":3,\"groups\":["
                            + group("grpX", "x1", "unrelated.example.net", true) + ","
                            + group("grpA", "a1", "api.shop.example.com", true) + ","
                            + group("grpB", "b1", "pay.shop.example.com", false) + "]}")));
            assertKeepsBothBindings(manifest);
        }
    }

    /** The other side of the rule: a domain really taken out of its group still lets its binding go. */
    @Test
    void domainReallyRemovedFromItsGroup_stillLeavesTheState() throws Exception {
        Path manifest = manifest();
        try (Simulator simulator = boundBoth(manifest)) {
            java.net.http.HttpResponse<String> removed = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(simulator.baseUrl()
                                    + "/v2/proj1/apic/instances/inst1/api-groups/grpB/domains/b1"))
                            .header("X-Auth-Token", "tok").DELETE().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(removed.statusCode() / 100 == 2, removed.body());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(List.of("wild[api.shop.example.com]"), addresses(), apply.toString());
        }
    }

    /** A 404 on the listing's second page is an error naming the listing, not an empty page: the state stays. */
    @Test
    void listing404OnItsSecondPage_isAnError_andTheStateStays() throws Exception {
        Path manifest = manifest();
        try (Simulator simulator = boundBoth(manifest)) {
            String before = Files.readString(dir.resolve("certform.state.json"));
            wm.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("offset", equalTo("0")).atPriority(1)
                    .willReturn(aResponse().withStatus(200).withBody("{\"total\":3,\"size\":2,\"groups\":["
                            + group("grpX", "x1", "unrelated.example.net", true) + ","
                            + group("grpA", "a1", "api.shop.example.com", true) + "]}")));
            wm.stubFor(get(urlPathEqualTo(LIST)).withQueryParam("offset", equalTo("2")).atPriority(1)
                    .willReturn(aResponse().withStatus(404).withBody(
                            "{\"error_code\":\"APIG.3030\",\"error_msg\":\"The instance does not exist\"}")));
            CliRun plan = CliRun.run("plan", "-f", manifest.toString());
            assertEquals(1, plan.exitCode(), plan.toString());
            assertTrue(plan.err().contains("cannot list the domains of every group of instance inst1"), plan.toString());
            assertFalse(plan.out().contains("destroy"), plan.toString());
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--max-retries", "0");
            assertEquals(1, apply.exitCode(), apply.toString());
            assertEquals(before, Files.readString(dir.resolve("certform.state.json")));
        }
    }
}
