package io.certform.apply;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.api.ApiException;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.cert.CertificateInfo;
import io.certform.plan.Action;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.local.LocalStateStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live object and the objects deposed at the same address are separate changes of one plan: each is carried out
 * and ends once, under its own key, so that the refused removal of a deposed one is never read as the live one's
 * failure (nor the live one's success lost with it, as a rollout's wave would), a removal waits for its replacement
 * made in the same run, and two objects deposed at one address are both removed.
 */
class DeposedObjectEndsOnceUnderItsKeyTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String ADDRESS = "a[api.example.com]";
    private static final String GROUP = "/v2/p/apic/instances/i/api-groups/g";

    @TempDir
    Path dir;

    private static ResourceState recorded(String domainId, String sslId) {
        return new ResourceState(ADDRESS, "a", "i", "g", domainId, "api.example.com", sslId, "cert_a", "global", null,
                "RSA", "c".repeat(64), "c".repeat(64), null, "5a00", "2030-01-01T00:00:00Z", "CA", null, null,
                List.of("api.example.com"));
    }

    private static DesiredBinding desired() {
        CertificateInfo info = new CertificateInfo("a".repeat(64), "b".repeat(64), "5a01",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2031-01-01T00:00:00Z"), "RSA", "RSA 2048",
                "api.example.com", List.of("api.example.com"), "CA", "SHA256WITHRSA");
        return new DesiredBinding(ADDRESS, "a", new DesiredBinding.Domain("i", "g", "d2", "api.example.com"),
                new DesiredBinding.Upload("cert_a", "global", null, info, null,
                        new CertificateMaterial("PEM", new Secret("KEY", "k", null), null)), null);
    }

    @Test
    void aRefusedDeposedRemoval_isReportedUnderItsKey_andTheLiveChangeAtTheSameAddressCompletes() throws Exception {
        // the live binding moved to d2 (the domain was recreated); the one it replaced, on d1, stayed deposed
        ResourceState live = recorded("d2", "cur2");
        ResourceState deposed = recorded("d1", "old1").deposedRecord();
        wm.stubFor(post(GROUP + "/domains/d2/certificate").willReturn(aResponse().withStatus(201).withBody(
                "{\"id\":\"d2\",\"url_domain\":\"api.example.com\",\"ssl_id\":\"new2\",\"ssl_name\":\"cert_a\"}")));
        wm.stubFor(delete(GROUP + "/domains/d1/certificate/old1").willReturn(aResponse().withStatus(400).withBody(
                "{\"error_code\":\"APIG.2012\",\"error_msg\":\"invalid parameter\"}")));
        wm.stubFor(get(GROUP).willReturn(aResponse().withStatus(200).withBody("{\"id\":\"g\",\"url_domains\":["
                + "{\"id\":\"d1\",\"domain\":\"api.example.com\",\"ssl_id\":\"old1\",\"ssl_name\":\"cert_a\"},"
                + "{\"id\":\"d2\",\"domain\":\"api.example.com\",\"ssl_id\":\"cur2\",\"ssl_name\":\"cert_a\"}]}")));
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        State prior = holding(store, live, deposed);
        Plan plan = planOf(prior,
                new ResourceChange(ADDRESS, Action.UPDATE, Set.of(Reason.CERTIFICATE_CHANGED), live, desired()),
                new ResourceChange(ADDRESS, Action.DELETE, Set.of(Reason.DEPOSED), deposed, null));
        List<String> failedChanges = new ArrayList<>();
        List<String> completedChanges = new ArrayList<>();
        ApplyResult result = applier(store, failedChanges, completedChanges).apply(plan, prior);

        assertEquals(List.of(ADDRESS), completedChanges, "the live object's update completed");
        assertEquals(List.of(ADDRESS + " (deposed old1)"), failedChanges);
        assertEquals(List.of(ADDRESS + " (deposed old1)"),
                result.failures().stream().map(ApplyResult.Failure::address).toList(),
                "the summary names the deposed object that failed, not the live one at its address");
        assertEquals(1, result.changed());
        assertEquals("new2", result.state().resource(ADDRESS).orElseThrow().sslId());
    }

    @Test
    void aStoppedRun_listsTheLiveAndTheDeposedObjectAtOneAddressAsTwoChangesNotAttempted() throws Exception {
        ResourceState live = recorded("d2", "cur2");
        ResourceState deposed = recorded("d1", "old1").deposedRecord();
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        State prior = holding(store, live, deposed);
        Plan plan = planOf(prior,
                new ResourceChange(ADDRESS, Action.UPDATE, Set.of(Reason.CERTIFICATE_CHANGED), live, desired()),
                new ResourceChange(ADDRESS, Action.DELETE, Set.of(Reason.DEPOSED), deposed, null));
        Applier applier = applier(store, new ArrayList<>(), new ArrayList<>());
        applier.requestStop(); // Ctrl-C before the first call
        ApplyResult result = applier.apply(plan, prior);

        assertEquals(List.of(ADDRESS, ADDRESS + " (deposed old1)"), result.skipped());
        assertEquals(0, wm.getAllServeEvents().size(), "nothing was sent after the stop");
    }

    @Test
    void aDeposedBindingWhoseReplacementIsCreatedInTheSameRun_isRemovedAfterIt_andEndsOnce() throws Exception {
        // an earlier move to d2 lost its bind (voided): only the old binding on d1 is left, deposed
        ResourceState deposed = recorded("d1", "old1").deposedRecord();
        wm.stubFor(post(GROUP + "/domains/d2/certificate").willReturn(aResponse().withStatus(201).withBody(
                "{\"id\":\"d2\",\"url_domain\":\"api.example.com\",\"ssl_id\":\"new2\",\"ssl_name\":\"cert_a\"}")));
        wm.stubFor(delete(GROUP + "/domains/d1/certificate/old1").willReturn(aResponse().withStatus(204)));
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        State prior = holding(store, deposed);
        Plan plan = planOf(prior,
                new ResourceChange(ADDRESS, Action.CREATE, Set.of(Reason.NOT_IN_STATE), null, desired()),
                new ResourceChange(ADDRESS, Action.DELETE, Set.of(Reason.DEPOSED), deposed, null));
        List<String> failedChanges = new ArrayList<>();
        List<String> completedChanges = new ArrayList<>();
        ApplyResult result = applier(store, failedChanges, completedChanges).apply(plan, prior);

        assertEquals(List.of(ADDRESS, ADDRESS + " (deposed old1)"), completedChanges,
                "the replacement first, then the removal of what it replaced, each ending once");
        assertEquals(List.of(), failedChanges);
        assertEquals(List.of(), result.skipped());
        assertEquals(1, result.added());
        assertEquals(1, result.destroyed());
        assertEquals(List.of(ADDRESS), result.state().resources().stream().map(ResourceState::key).toList());
    }

    @Test
    void twoObjectsDeposedAtOneAddress_areEachRemoved() throws Exception {
        ResourceState live = recorded("d2", "cur2");
        ResourceState first = recorded("d1", "old1").deposedRecord();
        ResourceState second = recorded("d3", "old3").deposedRecord();
        wm.stubFor(delete(GROUP + "/domains/d1/certificate/old1").willReturn(aResponse().withStatus(204)));
        wm.stubFor(delete(GROUP + "/domains/d3/certificate/old3").willReturn(aResponse().withStatus(204)));
        LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
        State prior = holding(store, live, first, second);
        Plan plan = planOf(prior,
                new ResourceChange(ADDRESS, Action.DELETE, Set.of(Reason.DEPOSED), first, null),
                new ResourceChange(ADDRESS, Action.DELETE, Set.of(Reason.DEPOSED), second, null));
        List<String> completedChanges = new ArrayList<>();
        ApplyResult result = applier(store, new ArrayList<>(), completedChanges).apply(plan, prior);

        assertEquals(Set.of(ADDRESS + " (deposed old1)", ADDRESS + " (deposed old3)"), Set.copyOf(completedChanges));
        assertEquals(2, result.destroyed());
        assertEquals(List.of(ADDRESS), result.state().resources().stream().map(ResourceState::key).toList());
    }

    /** The store, holding {@code objects} as its state. */
    private static State holding(LocalStateStore store, ResourceState... objects) throws Exception {
        store.write(store.read().next(List.of(objects), "t"));
        return store.read();
    }

    private static Plan planOf(State prior, ResourceChange... changes) {
        return new Plan(List.of(changes), prior.lineage(), prior.serial());
    }

    private Applier applier(LocalStateStore store, List<String> failed, List<String> completed) {
        GatewayClient client = new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint(wm.baseUrl(), "p", Service.ROMA));
        return new Applier(client, store, new Applier.Settings(2, new Backoff(3, Duration.ofMillis(1),
                Duration.ofMillis(5)), null, Duration.ofSeconds(1)),
                Clock.fixed(Instant.parse("2026-11-28T00:00:00Z"), ZoneOffset.UTC), d -> { }, new Random(1),
                new ApplyListener() {
                    public void started(ResourceChange c) { }

                    public void completed(ResourceChange c, String s, Duration d, String n) {
                        synchronized (completed) {
                            completed.add(c.key());
                        }
                    }

                    public void failed(ResourceChange c, ApiException e) {
                        synchronized (failed) {
                            failed.add(c.key());
                        }
                    }

                    public void skipped(ResourceChange c, String w) { }

                    public void unknown(ResourceChange c, String w) { }
                });
    }
}
