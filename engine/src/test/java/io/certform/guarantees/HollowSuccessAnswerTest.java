package io.certform.guarantees;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.certform.cli.CliRun;
import io.certform.cli.ShopWorld;
import io.certform.cli.SimulatedRollout;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.state.ResourceState;
import io.certform.state.local.LocalStateStore;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A success answer that does not say what the write made (a proxy's 201 {}, a bare 200 without a body) is no
 * result to record: the write may have landed, so it is an unknown outcome, settled by looking. What the gateway
 * holds is recorded; a write that did not land is left open, reported, and settled by the next run. Never a binding
 * or a certificate with no id in the state.
 */
class HollowSuccessAnswerTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final SimulatedRollout ONE = new SimulatedRollout(1, i -> "grp0", true);
    private static final TestCertificates.Authority CA = TestCertificates.authority("Hollow Answer CA");
    private static final TestCertificates.Issued CERT = CA.issue("*.example.com");
    private static final TestCertificates.Issued SHOP = CA.issue("*.shop.example.com");
    private static final String BASE = Sims.SCRIPTED_GROUP;
    private static final String POST_PATH = Sims.SCRIPTED_ADD;
    private static final String BARE = Sims.SCRIPTED_BARE_GROUP;

    @TempDir
    Path dir;

    private List<ResourceState> recorded() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read().resources();
    }

    /**
     * Claim: a call that landed is recorded done with the gateway's ids. The add lands and is answered with a
     * success that names no ssl_id: the binding is recorded with the ssl_id the domain carries (found by the look),
     * and the add is not sent again.
     */
    @ParameterizedTest
    @EnumSource(Simulator.HollowAnswer.class)
    void anAddThatLanded_answeredWithoutItsSslId_isRecordedWithTheSslIdTheGatewayHolds(Simulator.HollowAnswer how)
            throws Exception {
        try (Simulator simulator = ONE.start(SimulatorOptions.defaults())) {
            Path manifest = ONE.write(dir, simulator, CERT);
            simulator.answerWritesHollow(1, how);
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "5s");

            String carried = simulator.world().domains().get(0).sslId();
            assertNotNull(carried, "the add landed\n" + apply);
            assertEquals(List.of(carried), recorded().stream().map(ResourceState::sslId).toList(),
                    "the binding is recorded with the ssl_id the domain carries\n" + apply);
            assertEquals(1, simulator.world().certificatesCreated(), "the add is not sent again\n" + apply);
            assertEquals(0, apply.exitCode(), apply.toString());
        }
    }

    /**
     * Claim: a call whose answer says nothing is never recorded as done without its effect. The add is answered 201
     * {} and did not land (the domain stays bare): nothing is recorded, the run says the outcome is unknown, and the
     * add is sent once. The next run looks, finds nothing, closes the open call and binds again.
     */
    @Test
    void anAddThatDidNotLand_answered201EmptyObject_isLeftOpenAndReported_thenBoundByTheNextRun() throws Exception {
        Path manifest = ONE.write(dir, "service: apig, endpoint: \"" + wm.baseUrl() + "\", project_id: proj1", CERT,
                "");
        wm.stubFor(get(BASE).willReturn(aResponse().withStatus(200).withBody(BARE)));
        wm.stubFor(post(POST_PATH).willReturn(aResponse().withStatus(201).withBody("{}")));
        CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s");

        assertEquals(1, wm.findAll(postRequestedFor(urlEqualTo(POST_PATH))).size(), "sent once\n" + first);
        assertEquals(List.of(), recorded(), "nothing recorded without its ssl_id\n" + first);
        assertNotEquals(0, first.exitCode(), first.toString());
        assertTrue((first.out() + first.err()).contains("names no ssl_id"), "the run says why\n" + first);

        wm.stubFor(post(POST_PATH).willReturn(aResponse().withStatus(201).withBody("{\"id\":\"dom0\","
                + "\"url_domain\":\"d0.example.com\",\"ssl_id\":\"s1\",\"ssl_name\":\"site_cert\"}")));
        CliRun next = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "1s");
        assertEquals(List.of("s1"), recorded().stream().map(ResourceState::sslId).toList(), "the next run binds\n"
                + next);
        assertEquals(2, wm.findAll(postRequestedFor(urlEqualTo(POST_PATH))).size(), next.toString());
    }

    /**
     * Claim: the same for the shared model's create. The certificate is created and answered 201 {}: it is recorded
     * with the id the service gave it (found by the look), and created once.
     */
    @Test
    void aSharedCertificateCreated_answeredWithoutItsId_isRecordedWithTheIdTheServiceHolds() throws Exception {
        try (Simulator simulator = ShopWorld.start(3, 1, 23)) {
            Path manifest = ShopWorld.manifest(simulator).mode("shared").write(dir, SHOP);
            simulator.answerWritesHollow(1, Simulator.HollowAnswer.EMPTY_OBJECT); // the create is the first write
            CliRun apply = CliRun.run("apply", "--auto-approve", "-f", manifest.toString(), "--settle-window", "5s");

            assertEquals(1, simulator.world().managedCertificatesCreated(), "created once\n" + apply);
            List<String> attached = simulator.world().domains().stream().flatMap(d -> d.attachedIds().stream())
                    .distinct().toList();
            assertEquals(1, attached.size(), "every domain carries the one certificate\n" + apply);
            assertEquals(attached.get(0), ShopWorld.certificate(dir).sslId(),
                    "the certificate is recorded with the id the service gave it\n" + apply);
            assertEquals(0, apply.exitCode(), apply.toString());
        }
    }
}
