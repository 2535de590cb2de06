package io.certform.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.AddCertificateRequest;
import io.certform.api.CertificateForm;
import io.certform.api.DomainLocation;
import io.certform.api.Endpoint;
import io.certform.api.GatewayClient;
import io.certform.api.ManagedCertificates;
import io.certform.api.TestHttp;
import io.certform.api.TokenAuth;
import io.certform.base.Secret;
import io.certform.base.Service;
import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import okhttp3.Interceptor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of call, run by the one {@link CallProtocol}, reaches the same crash points, and a run that dies at
 * either is finished by the next run's recovery through the call's own look: a call that died before it left is
 * voided and nothing of it is recorded; a call that died after it took effect, before its result was recorded, is
 * recorded as it is at the gateway. Recovery sends nothing (no call is sent twice), and leaves no intent open.
 */
class CallCrashPointTest {

    private static final Instant SENT = Instant.parse("2026-12-07T10:00:00Z");
    private static final Clock RUN = Clock.fixed(SENT, ZoneOffset.UTC);
    /** The next run, long after the call was sent: nothing is waited for. */
    private static final Clock NEXT = Clock.fixed(SENT.plusSeconds(3600), ZoneOffset.UTC);
    private static final Duration WINDOW = Duration.ofMinutes(3);
    private static final TestCertificates.Authority CA = TestCertificates.authority("Crash point CA");
    private static final TestCertificates.Issued ONE = CA.issue("*.example.com");
    private static final TestCertificates.Issued TWO = CA.issue("*.example.com");
    private static final DesiredBinding.Domain D1 = new DesiredBinding.Domain("inst1", "grp1", "d1", "a1.example.com");
    private static final DesiredBinding.Domain NOWHERE = new DesiredBinding.Domain(null, null, null, null);

    @TempDir
    Path dir;

    /** The process died here. */
    private static final class Crash extends Error {
        Crash(String point) {
            super("crashed at " + point, null, false, false);
        }
    }

    /** A call ready to run against the world, the state it runs from, and how to tell its effect at the gateway. */
    private record Prepared(Call<?> call, List<ResourceState> base, String address, Predicate<World> shows,
                            Function<World, String> remoteId) {
    }

    @FunctionalInterface
    private interface Setup {
        Prepared prepare(GatewayClient client, World world);
    }

    private static CertificateInfo info(TestCertificates.Issued cert) {
        return new CertificateLoader(RUN).load(cert.chainPem(), new Secret(cert.privateKeyPem(), "k", null), null,
                CertificatePolicy.DEFAULT).info();
    }

    private static DesiredBinding.Upload upload(String name, TestCertificates.Issued cert, String model) {
        return new DesiredBinding.Upload(name, "global", null, info(cert), null,
                new CertificateMaterial(cert.chainPem(), new Secret(cert.privateKeyPem(), "k", null), null), model);
    }

    private static DesiredBinding site(TestCertificates.Issued cert) {
        return new DesiredBinding("site[a1.example.com]", "site", D1, upload("cert_one", cert, null), null);
    }

    private static DesiredBinding wild(TestCertificates.Issued cert) {
        return new DesiredBinding("wild", "wild", NOWHERE, upload("wild_2026", cert, ResourceState.SHARED), null);
    }

    private static DesiredBinding wildOnD1() {
        return new DesiredBinding("wild[a1.example.com]", "wild", D1, upload("wild_2026", ONE, ResourceState.SHARED),
                null);
    }

    private static CertificateForm form(DesiredBinding certificate) {
        CertificateMaterial m = certificate.material();
        return new CertificateForm(certificate.sslName(), m.certContent(), m.privateKey(), certificate.type(), null,
                null, certificate.certificate().algorithmType(), null, null);
    }

    private static World.DomainView d1(World world) {
        return world.domains().stream().filter(d -> d.domainId().equals("d1")).findFirst().orElseThrow();
    }

    private static String onlyCertificateId(GatewayClient client) {
        List<io.certform.api.CertificateDetail> listed = client.listCertificates("wild_2026", 0, 10).certificates();
        return listed.isEmpty() ? null : listed.get(0).id();
    }

    /** Creates the shared certificate at the gateway, as an earlier run did: recorded with its id. */
    private static ResourceState madeEarlier(GatewayClient client, TestCertificates.Issued cert) {
        String id = client.createCertificate(form(wild(cert))).id();
        return wild(cert).recorded().bound(id, "wild_2026", null).boundAt(SENT.minusSeconds(60));
    }

    static Stream<Arguments> cases() {
        Setup bind = (client, world) -> {
            DesiredBinding desired = site(ONE);
            return new Prepared(new BindCall(desired.recorded(), null, desired, null), List.of(), desired.address(),
                    w -> d1(w).sslId() != null, w -> d1(w).sslId());
        };
        Setup unbind = (client, world) -> {
            DesiredBinding desired = site(ONE);
            String sslId = client.addCertificate(new DomainLocation("inst1", "grp1", "d1"), new AddCertificateRequest(
                    "cert_one", ONE.chainPem(), new Secret(ONE.privateKeyPem(), "k", null), "global", null, null))
                    .sslId();
            ResourceState recorded = desired.recorded().bound(sslId, "cert_one", "a1.example.com");
            return new Prepared(new UnbindCall(recorded), List.of(recorded), recorded.address(),
                    w -> d1(w).sslId() == null, w -> null);
        };
        Setup create = (client, world) -> {
            ResourceState planned = wild(ONE).recorded().bound(null, "wild_2026", null);
            return new Prepared(new CreateCertificateCall(planned, null, form(wild(ONE))), List.of(), "wild",
                    w -> w.managedCertificateCount() == 1, w -> onlyCertificateId(client));
        };
        Setup update = (client, world) -> {
            ResourceState recorded = madeEarlier(client, ONE);
            ResourceState planned = wild(TWO).recorded().bound(recorded.sslId(), "wild_2026", null);
            return new Prepared(new UpdateCertificateCall(planned, form(wild(TWO)), recorded), List.of(recorded), "wild",
                    w -> w.managedCertificatesUpdated() == 1, w -> recorded.sslId());
        };
        Setup delete = (client, world) -> {
            ResourceState recorded = madeEarlier(client, ONE);
            return new Prepared(new DeleteCertificateCall(recorded), List.of(recorded), "wild",
                    w -> w.managedCertificateCount() == 0, w -> null);
        };
        Setup attach = (client, world) -> {
            ResourceState certificate = madeEarlier(client, ONE);
            ResourceState planned = wildOnD1().recorded().bound(certificate.sslId(), null, null);
            return new Prepared(new AttachCall(certificate.sslId(), List.of(planned)), List.of(certificate),
                    planned.address(), w -> d1(w).attachedIds().contains(certificate.sslId()),
                    w -> certificate.sslId());
        };
        Setup detach = (client, world) -> {
            ResourceState certificate = madeEarlier(client, ONE);
            client.attachDomains(certificate.sslId(), List.of(new ManagedCertificates.DomainTarget("a1.example.com",
                    List.of("inst1"), false)));
            ResourceState recorded = wildOnD1().recorded().bound(certificate.sslId(), null, null)
                    .boundAt(SENT.minusSeconds(30));
            return new Prepared(new DetachCall(certificate.sslId(), List.of(recorded)), List.of(certificate, recorded),
                    recorded.address(), w -> d1(w).attachedIds().isEmpty(), w -> null);
        };
        List<Arguments> out = new ArrayList<>();
        Object[][] kinds = {{"bind", bind}, {"unbind", unbind}, {"create-certificate", create},
            {"update-certificate", update}, {"delete-certificate", delete}, {"attach", attach}, {"detach", detach}};
        for (Object[] kind : kinds) {
            for (String point : new String[] {"before-send", "after-send"}) {
                out.add(Arguments.of(kind[0], point, kind[1]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, crashed at {1}")
    @MethodSource("cases")
    void aCallCrashedAtEitherPoint_isFinishedByTheNextRun_fromItsOwnLook(String kind, String point, Setup setup)
            throws Exception {
        World world = new World();
        world.addDomain("inst1", "grp1", "d1", "a1.example.com");
        try (Simulator simulator = Simulator.start(world, SimulatorOptions.defaults(), 0)) {
            AtomicInteger writes = new AtomicInteger();
            TokenAuth auth = new TokenAuth("t");
            Interceptor counting = chain -> {
                if (!chain.request().method().equals("GET")) {
                    writes.incrementAndGet();
                }
                return auth.intercept(chain);
            };
            GatewayClient client = new GatewayClient(TestHttp.client(counting, Duration.ofSeconds(5)),
                    new Endpoint(simulator.baseUrl(), "proj1", Service.ROMA));
            Prepared prepared = setup.prepare(client, simulator.world());
            assertEquals(kind, prepared.call().op().wire());
            boolean removes = prepared.call().op().removes();
            LocalStateStore store = new LocalStateStore(dir.resolve("s.json"), "t");
            State base = State.empty("t").next(prepared.base(), "t");
            store.write(base);
            assertFalse(prepared.shows().test(simulator.world()), "the effect is not there before the call");

            List<String> reached = new ArrayList<>();
            CallProtocol protocol = new CallProtocol(client, new RemoteDirectory(client, "t",
                    RemoteDirectory.Reads.DIRECT), new Retrier(new Backoff(3, Duration.ofMillis(1),
                    Duration.ofMillis(1)), d -> { }, new Random(1), new ConcurrencyLimiter(1), null), RUN, d -> { },
                    WINDOW, (change, attempt, error, delay) -> { }, name -> {
                        reached.add(name);
                        if (name.equals(point)) {
                            throw new Crash(name);
                        }
                    });
            int writesBefore = writes.get();
            RunRecorder run = store.record(base);
            assertThrows(Crash.class, () -> protocol.run(null, prepared.call(), run, false));
            run.close(); // died: nothing folded, the journal as it was
            assertEquals(point.equals("before-send") ? List.of("before-send") : List.of("before-send", "after-send"),
                    reached, "the protocol reaches the same points for every call");
            boolean landed = point.equals("after-send");
            assertEquals(landed ? 1 : 0, writes.get() - writesBefore, "sent once, or not at all");
            assertEquals(landed, prepared.shows().test(simulator.world()));
            assertEquals(List.of(prepared.address()), JournalRecord.openIntents(store.journal()).stream()
                    .map(JournalRecord.Intent::address).toList(), "the intent is durable and open");

            int writesAtRecovery = writes.get();
            Recovery.Outcome outcome = Recovery.recover(store, store.journal(), client, Backoff.DEFAULT, d -> { },
                    NEXT, WINDOW, "t");

            assertEquals(writesAtRecovery, writes.get(), "recovery looks, it never sends: " + outcome);
            assertEquals(List.of(), outcome.open(), outcome.toString());
            assertEquals(landed ? 0 : 1, outcome.voided(), outcome.toString());
            assertEquals(landed && !removes ? 1 : 0, outcome.adopted(), outcome.toString());
            assertEquals(landed && removes ? 1 : 0, outcome.unbound(), outcome.toString());
            assertFalse(Files.exists(store.journalFile()), "no intent left open");
            assertEquals(landed, prepared.shows().test(simulator.world()), "recovery changed nothing at the gateway");
            State after = store.read();
            if (!landed) {
                assertEquals(base.resources(), after.resources(), "a call that never left changes nothing");
            } else if (removes) {
                assertFalse(after.resource(prepared.address()).isPresent(), "the removal is recorded");
                assertEquals(base.resources().size() - 1, after.resources().size());
            } else {
                ResourceState recorded = after.resource(prepared.address()).orElseThrow();
                assertEquals(prepared.remoteId().apply(simulator.world()), recorded.sslId(),
                        "recorded as it is at the gateway");
                if (kind.equals("update-certificate")) {
                    assertEquals(info(TWO).serialNumber(), recorded.serialNumber(), "the new certificate recorded");
                }
            }
        }
    }
}
