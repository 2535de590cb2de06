package io.certform.cli;

import static io.certform.cli.SharedModelGuaranteesTest.CA;
import static io.certform.cli.SharedModelGuaranteesTest.CERT;
import static io.certform.cli.CliRun.TOKEN_ENV;
import static io.certform.cli.SharedModelGuaranteesTest.call;
import static io.certform.cli.SharedModelGuaranteesTest.createOutside;
import static io.certform.cli.SharedModelGuaranteesTest.start;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the shared model, a removal (domains dropped from the manifest, then destroy) detaches and deletes only what
 * certform attached and made. Another team's certificate, attached by hand beside certform's on one domain and
 * instead of it on another (certform's detached first), keeps both domains, and no call names it; the domain that
 * no longer carries certform's certificate is only forgotten, without a detach (certform proves its attachment
 * before it detaches); certform's own certificate is detached from the rest and deleted.
 */
class SharedRemovalLeavesOtherCertificatesTest {

    @TempDir
    Path dir;

    private Path manifest(Simulator simulator, List<Integer> domains) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(20).mode("shared").domains(domains.stream()
                .map(i -> "{ group_id: grp" + i % 4 + ", domain: api" + i + ".shop.example.com }").toArray(String[]::new))
                .write(dir, CERT);
    }

    private List<ResourceState> state() throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read().resources();
    }

    /** The calls of a {@code --log-http} log that change something: each request's line, headers and body. */
    private static List<String> writes(CliRun run) {
        List<String> out = new ArrayList<>();
        StringBuilder call = null;
        for (String line : run.err().split("\n")) {
            if (line.startsWith("--> ")) {
                call = line.startsWith("--> GET ") ? null : new StringBuilder(line.substring(4));
            } else if (line.startsWith("<-- ") && call != null) {
                out.add(call.toString());
                call = null;
            } else if (call != null) {
                call.append('\n').append(line);
            }
        }
        return out;
    }

    private static Map<String, List<String>> attached(Simulator simulator) {
        Map<String, List<String>> out = new TreeMap<>();
        for (World.DomainView d : simulator.world().domains()) {
            out.put(d.urlDomain(), d.attachedIds());
        }
        return out;
    }

    private static void byHand(Simulator simulator, String certificate, String action, String domain)
            throws Exception {
        assertEquals(204, call(simulator, "POST", "/v2/proj1/apic/certificates/" + certificate + "/domains/" + action,
                "{\"domains\":[{\"domain\":\"" + domain + "\",\"instance_ids\":[\"inst1\"]}]}").statusCode());
    }

    @Test
    void aDomainMovedByHandToAnotherTeamsCertificate_refreshSaysItWasDetached_notThatItCarriesNothing()
            throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(simulator, List.of(0, 1, 2, 3));
            CliRun apply = CliRun.run(TOKEN_ENV, "", "apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            String ours = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();
            String theirs = createOutside(simulator, "team_b_cert", CA.issue("*.shop.example.com"));
            byHand(simulator, ours, "detach", "api2.shop.example.com");
            byHand(simulator, theirs, "attach", "api2.shop.example.com");

            CliRun plan = CliRun.runAt(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)), TOKEN_ENV, "", "plan",
                    "-f", manifest.toString());
            assertTrue(plan.out().contains("# wild[api2.shop.example.com] has been removed: the domain is no longer"
                    + " attached to certificate " + ours), "the plan's note says the same\n" + plan);
            assertFalse(plan.out().contains("carries no certificate"), plan.toString());
            CliRun refresh = CliRun.runAt(Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)), TOKEN_ENV, "", "refresh",
                    "-f", manifest.toString());
            assertEquals(0, refresh.exitCode(), refresh.toString());
            assertTrue(refresh.out().contains("wild[api2.shop.example.com]: the domain is no longer attached to"
                    + " certificate " + ours
                    + " (detached outside certform; what the domain carries instead is left alone); removed from the"
                    + " state"), "api2 carries the other team's certificate, not nothing\n" + refresh);
            assertEquals(List.of(theirs), attached(simulator).get("api2.shop.example.com"), refresh.toString());
            assertTrue(state().stream().allMatch(r -> ours.equals(r.sslId())), state().toString());
        }
    }

    @Test
    void anotherTeamsCertificateAttachedByHand_keepsItsDomains_throughARemovalAndDestroy() throws Exception {
        try (Simulator simulator = start(4, Faults.none())) {
            Path manifest = manifest(simulator, List.of(0, 1, 2, 3));
            CliRun apply = CliRun.run(TOKEN_ENV, "", "apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            String ours = state().stream().filter(ResourceState::certificateResource).findFirst().orElseThrow()
                    .sslId();

            // another team, by hand: its certificate beside ours on api1, and instead of ours on api2
            String theirs = createOutside(simulator, "team_b_cert", CA.issue("*.shop.example.com"));
            byHand(simulator, theirs, "attach", "api1.shop.example.com");
            byHand(simulator, ours, "detach", "api2.shop.example.com");
            byHand(simulator, theirs, "attach", "api2.shop.example.com");
            assertEquals(List.of(ours, theirs), attached(simulator).get("api1.shop.example.com"));
            assertEquals(List.of(theirs), attached(simulator).get("api2.shop.example.com"));

            // later than the settle window: what the gateway shows is the truth, not a lagging read
            Clock later = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10));

            // api1 and api2 leave the manifest: certform's certificate is detached from api1, beside the other
            // team's; api2 no longer carries it, so there is nothing of certform's to detach there
            manifest(simulator, List.of(0, 3));
            CliRun removal = CliRun.runAt(later, TOKEN_ENV, "", "apply", "--auto-approve", "-f", manifest.toString(),
                    "--log-http");
            assertEquals(0, removal.exitCode(), removal.toString());
            assertTrue(removal.out().contains("wild[api2.shop.example.com] will be forgotten (nothing is sent)"),
                    removal.toString());
            List<String> removalCalls = writes(removal);
            assertEquals(1, removalCalls.size(), "one detach, for api1: " + removalCalls);
            assertTrue(removalCalls.get(0).startsWith("POST " + simulator.baseUrl() + "/v2/proj1/apic/certificates/"
                    + ours + "/domains/detach"), removalCalls.get(0));
            for (String call : removalCalls) {
                assertFalse(call.contains(theirs), "a call names the other team's certificate: " + call);
                assertFalse(call.contains("api2.shop.example.com"), "api2 no longer carries certform's certificate:"
                        + " it is only forgotten, never detached: " + call);
            }
            assertEquals(List.of(theirs), attached(simulator).get("api1.shop.example.com"), removal.toString());
            assertEquals(List.of(theirs), attached(simulator).get("api2.shop.example.com"), removal.toString());
            assertTrue(state().stream().allMatch(r -> ours.equals(r.sslId())),
                    "the state keeps what certform attached, never the other team's certificate: " + state());

            CliRun destroy = CliRun.runAt(later, TOKEN_ENV, "", "destroy", "--auto-approve", "-f", manifest.toString(),
                    "--log-http");
            assertEquals(0, destroy.exitCode(), destroy.toString());
            for (String call : writes(destroy)) {
                assertFalse(call.contains(theirs), "a call names the other team's certificate: " + call);
            }
            Map<String, List<String>> after = attached(simulator);
            assertEquals(List.of(), after.get("api0.shop.example.com"), destroy.toString());
            assertEquals(List.of(theirs), after.get("api1.shop.example.com"), destroy.toString());
            assertEquals(List.of(theirs), after.get("api2.shop.example.com"), destroy.toString());
            assertEquals(List.of(), after.get("api3.shop.example.com"), destroy.toString());
            assertEquals(200, call(simulator, "GET", "/v2/proj1/apic/certificates/" + theirs, null).statusCode(),
                    "the other team's certificate is not deleted\n" + destroy);
            assertEquals(404, call(simulator, "GET", "/v2/proj1/apic/certificates/" + ours, null).statusCode(),
                    "certform's own certificate is deleted\n" + destroy);
            assertTrue(state().isEmpty(), state().toString());
        }
    }
}
