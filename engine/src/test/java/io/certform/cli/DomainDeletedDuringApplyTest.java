package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A domain deleted from its group while certform works on its certificate (guarantee 1 of docs/reliability.md):
 * the attach batch that names it is refused (404, APIG.3020), every other domain keeps a certificate throughout,
 * and the next plain apply forgets the gone domain and converges.
 */
class DomainDeletedDuringApplyTest {

    static final int DOMAINS = 7;
    static final String GONE = "api4.shop.example.com"; // grp0, d4; in the second attach batch (chunk 3)
    static final TestCertificates.Authority CA = TestCertificates.authority("Refused test CA");
    static final TestCertificates.Issued CERT = CA.issue("*.shop.example.com");

    @TempDir
    Path dir;

    Simulator simulator() throws Exception {
        return ShopWorld.start(DOMAINS, 2, 2);
    }

    Path manifest(Simulator simulator, String mode, String type) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(3).mode(mode).type(type).write(dir, CERT);
    }

    /** {@link #GONE} leaves its group, as someone deleting it from the console would. */
    static void deleteTheDomainOutside(Simulator simulator) throws Exception {
        assertEquals(204, SharedModelGuaranteesTest.call(simulator, "DELETE",
                "/v2/proj1/apic/instances/inst1/api-groups/grp0/domains/d4", null).statusCode());
    }

    /** The shared certificate applied to every domain, then {@link #GONE} deleted outside certform. */
    Path sharedAppliedThenItsDomainDeletedOutside(Simulator simulator) throws Exception {
        Path manifest = manifest(simulator, "shared", "global");
        CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
        assertEquals(0, first.exitCode(), first.toString());
        deleteTheDomainOutside(simulator);
        return manifest;
    }

    void assertForgotten() throws Exception {
        assertTrue(ShopWorld.resources(dir).stream().noneMatch(r -> GONE.equals(r.urlDomain())),
                "the deleted domain is forgotten");
    }

    /**
     * The saved plan is refused as stale here (a domain it names left its group after plan -out), so nothing is
     * sent by it; the rerun is what meets the deleted domain. The attach the gateway refuses mid-run is
     * {@link #attachRefusedMidRun_perDomainToShared_noDomainBare}.
     */
    @ParameterizedTest(name = "{0}/{1} -> {2}/{3}, a domain deleted after plan -out")
    @CsvSource({"per-domain,global,shared,global", "shared,global,shared,instance"})
    void domainDeletedAfterPlanOut_savedPlanRefused_noOtherDomainBare_andTheNextApplyConverges(String fromMode,
            String fromType, String toMode, String toType) throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, fromMode, fromType);
            CliRun first = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, first.exitCode(), first.toString());
            manifest(simulator, toMode, toType);
            Path planFile = dir.resolve("tfplan");
            CliRun plan = CliRun.run("plan", "-f", manifest.toString(), "-out", planFile.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            // the domain leaves its group after the plan was saved
            deleteTheDomainOutside(simulator);
            List<String> bare = Collections.synchronizedList(new ArrayList<>());
            simulator.world().onCommit(view -> {
                if (view.bare() && !view.urlDomain().equals(GONE)) {
                    bare.add(view.urlDomain());
                }
            });
            CliRun refused = CliRun.run("apply", "-f", manifest.toString(), planFile.toString());
            assertEquals(1, refused.exitCode(), "the attach naming the deleted domain is refused: " + refused);
            assertEquals(List.of(), bare, "domains left without a certificate after a refused attach\n" + refused);
            for (World.DomainView d : simulator.world().domains()) {
                assertTrue(!d.bare(), d.urlDomain() + " is bare after the refused run\n" + refused);
            }

            CliRun rerun = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate");
            State state = ShopWorld.state(dir);
            List<String> addresses = state.resources().stream().map(ResourceState::address).sorted().toList();
            assertTrue(state.resources().stream().noneMatch(ResourceState::deposed), addresses + "\n" + rerun);
            assertEquals(DOMAINS, state.resources().size(), "the certificate and the six domains left: "
                    + addresses);
            ResourceState certificate = state.resources().stream().filter(ResourceState::certificateResource)
                    .findFirst().orElseThrow();
            assertEquals("wild_cert", certificate.sslName());
            assertEquals(toType, certificate.type());
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(certificate.sslId()), d.attachedIds(), d.urlDomain());
            }
            assertEquals(1, simulator.world().managedCertificateCount(), "one certificate left");
            assertEquals(0, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode());
        }
    }

    /** A domain of a shared certificate deleted outside certform: the next applies must get past it. */
    @org.junit.jupiter.api.Test
    void sharedDomainDeletedOutside_nextApplyForgetsIt_andDoesNotBlockTheOthers() throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = sharedAppliedThenItsDomainDeletedOutside(simulator);
            CliRun again = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            CliRun third = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, third.exitCode(), "second apply:\n" + again + "\nthird apply:\n" + third);
            assertForgotten();
            assertEquals(0, CliRun.run("plan", "-f", manifest.toString(), "--detailed-exitcode")
                    .exitCode());
        }
    }

    /** The same, once certform's settle window has passed: the gone domain is drift, forgotten without a call. */
    @org.junit.jupiter.api.Test
    void sharedDomainDeletedOutside_afterTheSettleWindow_isForgotten() throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = sharedAppliedThenItsDomainDeletedOutside(simulator);
            java.time.Clock later = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(1));
            JsonNode before = SharedModelEndToEndTest.calls(simulator);
            CliRun again = CliRun.runAt(later, "apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, again.exitCode(), again.toString());
            assertForgotten();
            assertEquals(0, SharedModelEndToEndTest.writes(before, SharedModelEndToEndTest.calls(simulator),
                    SharedPlanCallCountTest.WRITES), "the gone domain is forgotten without a call\n" + again);
        }
    }

    /**
     * The attach the gateway really refuses: while a per-domain -> shared migration runs, a domain of the second
     * attach batch is deleted from its group (right after the first batch lands), so that batch gets a 404.
     */
    @org.junit.jupiter.api.Test
    void attachRefusedMidRun_perDomainToShared_noDomainBare() throws Exception {
        try (Simulator simulator = simulator()) {
            Path manifest = manifest(simulator, "per-domain", "global");
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            manifest(simulator, "shared", "global");
            List<String> bare = Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicBoolean deleting = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.CompletableFuture<Integer> deleted = new java.util.concurrent.CompletableFuture<>();
            simulator.world().onCommit(view -> {
                if (view.bare() && !view.urlDomain().equals(GONE)) {
                    bare.add(view.urlDomain());
                }
                if (!view.attachedIds().isEmpty() && deleting.compareAndSet(false, true)) {
                    try { // in the committing thread, under the world's lock: before the next batch can arrive
                        java.lang.reflect.Method remove = World.class.getDeclaredMethod("removeDomain", String.class,
                                String.class, String.class);
                        remove.setAccessible(true);
                        remove.invoke(simulator.world(), "inst1", "grp0", "d4");
                        deleted.complete(204);
                    } catch (ReflectiveOperationException e) {
                        deleted.completeExceptionally(e);
                    }
                }
            });
            CliRun migrate = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(204, deleted.get(10, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue((migrate.out() + migrate.err()).contains("APIG.3020"), "an attach was refused: " + migrate);
            assertEquals(List.of(), bare, "domains left without a certificate\n" + migrate);
            CliRun rerun = CliRun.runAt(java.time.Clock.offset(java.time.Clock.systemUTC(),
                    java.time.Duration.ofHours(1)), "apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, rerun.exitCode(), rerun.toString());
            assertEquals(List.of(), bare, "domains left without a certificate\n" + rerun);
            String id = ShopWorld.certificate(dir).sslId();
            for (World.DomainView d : simulator.world().domains()) {
                assertEquals(List.of(id), d.attachedIds(), d.urlDomain());
                assertEquals(id, d.sslId(), d.urlDomain() + ": no certificate of its own left");
            }
        }
    }
}
