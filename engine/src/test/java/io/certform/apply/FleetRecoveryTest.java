package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import io.certform.api.AddCertificateRequest;
import io.certform.api.ApiException;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.plan.Action;
import io.certform.plan.Reason;
import io.certform.plan.ResourceChange;
import io.certform.remote.RemoteDirectory;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.state.JournalRecord;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.RunRecorder;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
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
import org.junit.jupiter.api.io.TempDir;
import java.util.Map;

/**
 * A fleet's run killed with calls open at two providers: recovery resolves each against its own provider's gateway
 * (the address names the provider), so both landed calls are adopted, never looked for at the other gateway.
 */
class FleetRecoveryTest {

    private static final Instant AT = Instant.parse("2026-11-28T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(AT.plusSeconds(3600), ZoneOffset.UTC);
    private static final TestCertificates.Issued CERT = TestCertificates.authority("Fleet recovery CA")
            .issue("*.example.com");

    @TempDir
    Path dir;

    private static World world() {
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com"); // the same ids on both gateways
        return world;
    }

    private static GatewayClient client(Simulator simulator) {
        return new GatewayClient(TestHttp.client(new TokenAuth("t"), Duration.ofSeconds(5)),
                new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
    }

    private static ResourceState binding(String address) {
        return new ResourceState(address, "c", "inst1", "grp1", "d1", "a1.example.com", null,
                "cert_one", "global", null, "RSA", "a".repeat(64), null, null, CERT.serialHex(),
                CERT.certificate().getNotAfter().toInstant().toString(), "CA");
    }

    private static void bind(GatewayClient client) {
        client.addCertificate(new DomainLocation("inst1", "grp1", "d1"), new AddCertificateRequest(
                "cert_one", CERT.chainPem(), new Secret(CERT.privateKeyPem(), "k", null), "global", null, null));
    }

    @Test
    void openCallsOfTwoProviders_eachResolvedAgainstItsOwnGateway() throws Exception {
        try (Simulator eu = Simulator.start(world(), SimulatorOptions.defaults(), 0);
             Simulator us = Simulator.start(world(), SimulatorOptions.defaults(), 0)) {
            bind(client(eu)); // both binds landed; the run died before their results were journalled
            bind(client(us));
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            State base = State.empty("t").next(List.of(), "t");
            store.write(base);
            try (RunRecorder run = store.record(base)) {
                run.intend(JournalRecord.Intent.bind(binding("provider.eu.c[a1.example.com]"), null, AT));
                run.intend(JournalRecord.Intent.bind(binding("provider.us.c[a1.example.com]"), null, AT));
            }
            Map<String, GatewayClient> clients = Map.of("eu", client(eu), "us", client(us));
            Recovery.Outcome outcome = Recovery.recover(store, store.journal(), clients::get, Backoff.DEFAULT,
                    d -> { }, CLOCK, Duration.ofMinutes(3), "t", note -> { });

            assertEquals(2, outcome.adopted(), outcome.toString());
            State state = store.read();
            assertEquals(2, state.resources().size());
            String euSsl = eu.world().domains().get(0).sslId();
            String usSsl = us.world().domains().get(0).sslId();
            for (ResourceState r : state.resources()) {
                assertEquals(r.provider().equals("eu") ? euSsl : usSsl, r.sslId(), r.address()
                        + " adopted with its own gateway's certificate id");
            }
        }
    }
}
