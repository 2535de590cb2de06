package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.base.Sleeper;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import io.certform.verify.ExpectedLeaf;
import io.certform.verify.ProbeSettings;
import io.certform.verify.TlsProbe;
import io.certform.verify.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts in waves on the simulator's TLS port: every domain checked to serve the new certificate; a wave whose
 * domains serve the old one stops the rollout, and the waves done are rolled back.
 */
class RolloutEndToEndTest {

    static final int DOMAINS = 200;
    static final TestCertificates.Authority CA = TestCertificates.authority("Rollout CA");
    static final TestCertificates.Issued OLD = CA.issue("*.shop.example.com");
    static final TestCertificates.Issued NEW = CA.issue("*.shop.example.com");
    static final Map<String, String> ENV = Map.of("CERTFORM_AUTH_TOKEN", "tok");

    @TempDir
    Path dir;

    /** A shop world of {@code domains} domains over five groups that serves each one's certificate over TLS. */
    static Simulator start(int domains, long seed) throws Exception {
        return GatewayWorld.shop(domains, 5).options(SimulatorOptions.defaults().withSeed(seed)).servingTls()
                .startSimulator();
    }

    Path manifest(Simulator simulator, String mode, TestCertificates.Issued cert, String onFailure) throws Exception {
        return manifest(simulator, mode, cert.chainPem(), cert, onFailure);
    }

    /** The manifest with {@code bundle} as the certificate's {@code cert_content} and {@code cert}'s key. */
    Path manifest(Simulator simulator, String mode, String bundle, TestCertificates.Issued cert, String onFailure)
            throws Exception {
        Files.writeString(dir.resolve("old.crt"), OLD.chainPem());
        Files.writeString(dir.resolve("old.key"), OLD.privateKeyPem());
        Files.writeString(dir.resolve("roots.pem"), CA.certificatePem());
        Path manifest = ShopWorld.manifest(simulator).attachChunk(50).mode(mode).material("site")
                .rollout("waves: [1, \"10%\", \"100%\"]", "verify: tls", ShopWorld.tlsProbe(simulator),
                        "max_failures: 0", "on_failure: " + onFailure)
                .afterMaterial("    previous: { cert_content: \"${file:old.crt}\","
                        + " private_key: \"${file:old.key}\" }\n")
                .write(dir, cert);
        Files.writeString(dir.resolve("site.crt"), bundle);
        return manifest;
    }

    List<ResourceState> state() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read().resources();
    }

    static CliRun apply(Path manifest) {
        return CliRun.run(ENV, "", "apply", "-f", manifest.toString(), "--auto-approve");
    }

    /** The domains' names in plan (address) order, as the waves take them. */
    static List<String> inWaveOrder(int domains) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < domains; i++) {
            names.add("api" + i + ".shop.example.com");
        }
        names.sort(java.util.Comparator.comparing(n -> "wild[" + n + "]"));
        return names;
    }

    /** Every domain checked afresh over TLS: which do not serve {@code cert} with a chain that verifies. */
    static List<String> notServing(Simulator simulator, TestCertificates.Issued cert, int domains) throws Exception {
        TlsProbe probe = new TlsProbe(new ProbeSettings(443, "127.0.0.1:" + simulator.tlsPort(),
                Duration.ofSeconds(2), Duration.ZERO), List.of(CA.certificate()), Clock.systemUTC(), Sleeper.SYSTEM);
        List<TlsProbe.Target> targets = new ArrayList<>();
        for (String name : inWaveOrder(domains)) {
            targets.add(new TlsProbe.Target(name, ExpectedLeaf.of(cert.certificate())));
        }
        List<String> out = new ArrayList<>();
        for (Verification v : probe.verifyAll(targets, 8)) {
            if (!v.verified()) {
                out.add(v.domain() + " " + v.outcome());
            }
        }
        return out;
    }

    @Test
    void perDomain_twoHundredDomainsInWaves_everyDomainVerifiedAndRecorded() throws Exception {
        try (Simulator simulator = start(DOMAINS, 7)) {
            Path manifest = manifest(simulator, "per-domain", OLD, "stop");
            CliRun first = apply(manifest);
            assertEquals(0, first.exitCode(), first.toString());
            manifest(simulator, "per-domain", NEW, "rollback");
            CliRun rotate = apply(manifest);
            assertEquals(0, rotate.exitCode(), rotate.toString());
            assertTrue(rotate.out().contains("Rollout: every wave done"), rotate.out());
            assertTrue(rotate.out().contains("Wave 3 of 3"), rotate.out());
            for (ResourceState r : state()) {
                assertNotNull(r.verifiedAt(), r.address() + ": its check is recorded");
                assertFalse(r.verificationOwed(), r.address());
            }
            assertEquals(DOMAINS, state().size());
            assertEquals(List.of(), notServing(simulator, NEW, DOMAINS));
            CliRun plan = CliRun.run(ENV, "", "plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, plan.exitCode(), plan.toString());
        }
    }

    /** A seed under which the first wave's domain serves what it should and some of the second wave's do not. */
    static long seedStalingTheSecondWave(double rate) {
        List<String> order = inWaveOrder(DOMAINS);
        TlsFaults faults = new TlsFaults(rate, List.of());
        for (long seed = 1; seed < 10_000; seed++) {
            final long s = seed;
            boolean firstClean = !faults.stale(order.get(0), s);
            long secondStale = order.subList(1, 21).stream().filter(n -> faults.stale(n, s)).count();
            if (firstClean && secondStale >= 2) {
                return seed;
            }
        }
        throw new AssertionError("no seed");
    }

    @Test
    void shared_secondWaveServesTheOldCertificate_rolloutStops_wavesRolledBack_everyDomainVerifies()
            throws Exception {
        long seed = seedStalingTheSecondWave(0.1);
        try (Simulator simulator = start(DOMAINS, seed)) {
            Path manifest = manifest(simulator, "shared", OLD, "rollback");
            CliRun first = apply(manifest);
            assertEquals(0, first.exitCode(), first.toString());
            String oldId = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();
            manifest(simulator, "shared", NEW, "rollback");
            simulator.tlsFaults(new TlsFaults(0.1, List.of()));
            Set<String> leftBare = ConcurrentHashMap.newKeySet();
            simulator.world().onCommit(d -> {
                if (d.bare()) {
                    leftBare.add(d.urlDomain());
                }
            });
            CliRun rotate = apply(manifest);
            assertEquals(1, rotate.exitCode(), rotate.toString());
            assertTrue(rotate.out().contains("stopped: wave 2 had"), rotate.out());
            assertFalse(rotate.out().contains("Wave 3 of 3"), "no third wave: " + rotate.out());
            assertTrue(rotate.out().contains("rolled back"), rotate.out());
            assertEquals(List.of(), simulator.world().domains().stream().filter(World.DomainView::bare)
                    .map(World.DomainView::urlDomain).toList(), "domains left without a certificate by the rollback");
            assertEquals(Set.of(), leftBare, "domains that were without a certificate at some moment of the rollout"
                    + " or its rollback (attach first, then detach)");

            simulator.tlsFaults(TlsFaults.none());
            assertEquals(List.of(), notServing(simulator, OLD, DOMAINS), "every domain serves the old certificate");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(oldId), d.attachedIds(), d.urlDomain());
            }
            List<ResourceState> state = state();
            assertTrue(state.stream().noneMatch(ResourceState::deposed), state.stream().map(ResourceState::address)
                    .filter(a -> a.contains("#")).toList().toString());
            ResourceState certificate = state.stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            assertEquals(oldId, certificate.sslId());
            assertEquals(OLD.serialHex(), certificate.serialNumber());
            assertEquals(1, simulator.world().managedCertificateCount(), "the new certificate was deleted");
        }
    }

    @Test
    void aRolloutStoppedByAFailedWave_neverSaysApplyComplete() throws Exception {
        try (Simulator simulator = start(3, 1)) {
            Path manifest = manifest(simulator, "per-domain", OLD, "stop");
            assertEquals(0, apply(manifest).exitCode());
            manifest(simulator, "per-domain", NEW, "stop");
            simulator.tlsFaults(new TlsFaults(1, List.of())); // every domain keeps serving the old certificate
            CliRun rotate = apply(manifest);
            assertEquals(1, rotate.exitCode(), rotate.toString());
            assertTrue(rotate.err().contains("Error: the rollout stopped: wave 1"), rotate.toString());
            assertFalse(rotate.out().contains("complete!"), rotate.out());
            assertTrue(rotate.out().contains("Apply stopped: the rollout did not finish. Resources: 0 added, 1 changed,"
                    + " 0 destroyed."), rotate.out());
        }
    }

    /**
     * A chain-only change (the same leaf, another bundle: here the intermediate that was missing) to a shared
     * certificate is a rotation like any other: in a rollout it is not the one update in place that would reach
     * every domain at once, but a new certificate resource attached wave by wave, each wave checked over TLS before
     * the next starts.
     */
    @Test
    void shared_chainOnlyChange_goesOutInWaves_eachWaveCheckedOverTls() throws Exception {
        int domains = 30; // waves of 1 (with the new certificate resource), 3 and 26 domains
        TestCertificates.Authority intermediate = CA.intermediate("Rollout Intermediate");
        TestCertificates.Issued leaf = intermediate.issue("*.shop.example.com");
        try (Simulator simulator = start(domains, 1)) {
            Path manifest = manifest(simulator, "shared", leaf.certificatePem(), leaf, "stop");
            CliRun first = CliRun.run(ENV, "", "apply", "-f", manifest.toString(), "--auto-approve", "--verify", "none");
            assertEquals(0, first.exitCode(), first.toString());
            assertEquals(domains, notServing(simulator, leaf, domains).size(),
                    "without its intermediate the leaf's chain does not verify");
            String oldId = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();

            manifest(simulator, "shared", leaf.chainPem(), leaf, "stop");
            CliRun plan = CliRun.run(ENV, "", "plan", "-f", manifest.toString());
            assertEquals(List.of("Rollout: 3 waves: 2, 3, 26 bindings; verify tls; on failure stop (at most 0 failures"
                    + " per wave).", "  wave 1: wild, wild[api0.shop.example.com]"), plan.out().lines()
                    .dropWhile(l -> !l.startsWith("Rollout:")).limit(2).toList(), "the plan lists the waves: the new"
                    + " certificate resource and one domain first");
            CliRun rotate = CliRun.run(ENV, "", "apply", "-f", manifest.toString(), "--auto-approve", "--json");
            assertEquals(0, rotate.exitCode(), rotate.toString());

            JsonMapper json = JsonMapper.builder().build();
            List<String> flow = new ArrayList<>();
            int wave = 0;
            int checked = 0;
            for (String line : rotate.out().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode event = json.readTree(line);
                switch (event.path("type").asString("")) {
                    case "wave" -> {
                        wave = event.path("wave").asInt();
                        checked = 0;
                    }
                    case "verification" -> {
                        assertTrue(wave > 0, "a check before any wave: " + line);
                        assertEquals("verified", event.path("outcome").asString(""), line);
                        checked++;
                    }
                    case "wave_done" -> {
                        assertEquals(wave, event.path("wave").asInt(), line);
                        flow.add(wave + ": " + event.path("domains").asInt() + " domains, " + checked
                                + " checked, " + event.path("verified").asInt() + " verified");
                    }
                    default -> {
                    }
                }
            }
            assertEquals(List.of("1: 1 domains, 1 checked, 1 verified", "2: 3 domains, 3 checked, 3 verified",
                    "3: 26 domains, 26 checked, 26 verified"), flow, "each wave's domains checked over TLS before"
                    + " the next wave\n" + rotate.out());

            assertEquals(List.of(), notServing(simulator, leaf, domains), "every domain serves the new chain");
            List<ResourceState> state = state();
            ResourceState certificate = state.stream().filter(ResourceState::certificateResource).findFirst()
                    .orElseThrow();
            assertNotEquals(oldId, certificate.sslId(), "a new certificate resource, not the old one updated in place");
            assertEquals(1, simulator.world().managedCertificateCount(), "the old certificate was deleted");
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain());
            }
            for (ResourceState r : state) {
                assertFalse(r.deposed(), r.address());
                if (!r.certificateResource()) {
                    assertNotNull(r.verifiedAt(), r.address() + ": its check is recorded");
                }
            }
            CliRun settled = CliRun.run(ENV, "", "plan", "-f", manifest.toString(), "--detailed-exitcode");
            assertEquals(0, settled.exitCode(), settled.toString());
        }
    }
}
