package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.World;
import io.certform.testing.GatewayFleet;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One certificate in shared mode ({@code mode: shared}) under two providers: one managed certificate per provider,
 * uploaded to that provider's gateway and attached to that provider's domains only; a plan then shows no changes.
 */
class FleetSharedModeTest {

    @TempDir
    Path dir;

    @Test
    void sharedCertificate_underTwoProviders_isOneManagedCertificatePerProvider_attachedToItsOwnDomains()
            throws Exception {
        try (GatewayFleet fleet = GatewayFleet.builder()
                .provider("east", p -> p.domains(7))
                .provider("west", p -> p.domains(4))
                .start()) {
            Path manifest = fleet.write(dir, fleet.certificate(), "mode: shared");
            CliRun apply = CliRun.runner().env(fleet.env()).run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());

            Set<String> ids = new HashSet<>();
            for (String provider : List.of("east", "west")) {
                World world = fleet.world(provider);
                assertEquals(1, world.managedCertificateCount(), provider + ": one managed certificate");
                assertEquals(1, world.managedCertificatesCreated(), provider + ": uploaded once");
                Set<String> attached = new HashSet<>();
                for (World.DomainView d : world.domains()) {
                    assertEquals(1, d.attachedIds().size(), provider + " " + d.urlDomain() + ": " + d.attachedIds());
                    attached.addAll(d.attachedIds());
                }
                assertEquals(1, attached.size(), provider + ": every domain carries its provider's one certificate");
                assertEquals(fleet.member(provider).domains().size(), world.domains().size());
                ids.addAll(attached);
            }
            assertTrue(apply.out().contains("provider.west.site"), apply.out());
            String state = java.nio.file.Files.readString(manifest.resolveSibling("certform.state.json"));
            for (String provider : List.of("east", "west")) {
                assertTrue(state.replace(" ", "").contains("\"address\":\"provider." + provider + ".site\""),
                        "the state records " + provider + "'s certificate resource under its own address: " + state);
            }

            CliRun plan = CliRun.runner().env(fleet.env())
                    .run("plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
        }
    }

    /** Each provider attaches in chunks of its own attach_chunk: 7 domains in chunks of 2 are 4 calls, 4 in 100 one. */
    @Test
    void eachProvider_attachesInChunksOfItsOwnAttachChunk() throws Exception {
        try (GatewayFleet fleet = GatewayFleet.builder()
                .provider("east", p -> p.domains(7))
                .provider("west", p -> p.domains(4))
                .start()) {
            Path manifest = fleet.write(dir, fleet.certificate(), "mode: shared");
            String text = java.nio.file.Files.readString(manifest);
            String east = "    project_id: " + fleet.member("east").projectId() + "\n";
            assertTrue(text.contains(east), text);
            java.nio.file.Files.writeString(manifest, text.replace(east, east + "    attach_chunk: 2\n"));
            CliRun apply = CliRun.runner().env(fleet.env())
                    .run("apply", "--auto-approve", "--log-http", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());
            assertEquals(4, attachCalls(apply.err(), "[east]"), apply.err());
            assertEquals(1, attachCalls(apply.err(), "[west]"), apply.err());
        }
    }

    private static long attachCalls(String log, String provider) {
        return log.lines().filter(l -> l.startsWith(provider) && l.contains("--> POST") && l.endsWith("/domains/attach"))
                .count();
    }
}
