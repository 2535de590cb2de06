package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.ApiException;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.plan.Action;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.plan.Plan;
import io.certform.plan.Planner;
import io.certform.plan.ResourceChange;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.local.LocalStateStore;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared certificate replaced while its old half held the declared name is made under a free name and renamed
 * once the old one is deleted (step 5, then the rename). That change still ends exactly once in the summary: a
 * refused rename is its failure, not a second ending after it was already counted as done.
 */
class SharedRenameEndsChangeOnceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T10:00:00Z"), ZoneOffset.UTC);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Rename CA").issue("*.example.com");
    private static final DesiredBinding.Domain D1 = new DesiredBinding.Domain("inst1", "grp1", "d1", "a1.example.com");

    @TempDir
    Path dir;

    private static DesiredBinding attachment(String type, String instance) {
        CertificateInfo info = new CertificateLoader(CLOCK).load(CERT.chainPem(),
                new Secret(CERT.privateKeyPem(), "k", null), null, CertificatePolicy.DEFAULT).info();
        return new DesiredBinding("wild[a1.example.com]", "wild", D1, new DesiredBinding.Upload("wild_2026", type,
                instance, info, null, new CertificateMaterial(CERT.chainPem(),
                new Secret(CERT.privateKeyPem(), "k", null), null), ResourceState.SHARED), null);
    }

    @Test
    void aRefusedRenameAfterAReplacement_endsTheCertificatesChangeOnce() throws Exception {
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com");
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            AtomicBoolean refusePuts = new AtomicBoolean();
            TokenAuth auth = new TokenAuth("t");
            Interceptor refusing = chain -> {
                if (refusePuts.get() && chain.request().method().equals("PUT")) {
                    return new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1).code(400)
                            .message("Bad Request").body(ResponseBody.create("{\"error_code\":\"APIG.2012\","
                                    + "\"error_msg\":\"refused\"}", MediaType.get("application/json"))).build();
                }
                return auth.intercept(chain);
            };
            GatewayClient client = new GatewayClient(TestHttp.client(refusing, Duration.ofSeconds(5)),
                    new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            State prior = store.read();
            ApplyResult first = applier(client, store, new ArrayList<>())
                    .apply(Planner.plan(List.of(attachment("global", null)), prior), prior);
            assertTrue(first.ok(), first.failures().toString());

            prior = store.read();
            Plan replace = Planner.plan(List.of(attachment("instance", "inst1")), prior);
            assertEquals(Action.CREATE_THEN_DELETE, replace.changes().stream().filter(c -> c.key().equals("wild"))
                    .findFirst().orElseThrow().action(), "a scope change replaces the certificate");
            refusePuts.set(true);
            List<String> endings = Collections.synchronizedList(new ArrayList<>());
            ApplyResult result = applier(client, store, endings).apply(replace, prior);

            List<String> wild = endings.stream().filter(e -> e.startsWith("wild ")).toList();
            assertEquals(1, wild.size(), "the certificate's change ends once: " + endings);
            assertEquals(List.of("wild failed"), wild, "its rename was refused");
            assertEquals(List.of("wild"), result.failures().stream().map(ApplyResult.Failure::address).toList());
            assertEquals(1, result.added(), "the attachment's replacement is added; the failed certificate is not");
        }
    }

    private static Applier applier(GatewayClient client, LocalStateStore store, List<String> endings) {
        return new Applier(client, store, new Applier.Settings(2, new Backoff(2, Duration.ofMillis(1),
                Duration.ofMillis(1)), null, Duration.ofSeconds(1)), CLOCK, d -> { }, new Random(1),
                new ApplyListener() {
                    public void started(ResourceChange c) { }

                    public void completed(ResourceChange c, String s, Duration d, String n) {
                        endings.add(c.key() + " completed");
                    }

                    public void failed(ResourceChange c, ApiException e) {
                        endings.add(c.key() + " failed");
                    }

                    public void skipped(ResourceChange c, String w) {
                        endings.add(c.key() + " skipped");
                    }

                    public void unknown(ResourceChange c, String w) {
                        endings.add(c.key() + " unknown");
                    }
                });
    }
}
