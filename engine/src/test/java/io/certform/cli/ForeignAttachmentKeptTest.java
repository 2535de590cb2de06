package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.simulator.Simulator;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared certificate that someone else attached to a domain certform does not manage (guarantee 3): when certform
 * then removes some of its own domains and migrates the rest to per-domain, the foreign attachment stays, the
 * certificate is not deleted, and no managed domain is left without a certificate.
 */
class ForeignAttachmentKeptTest {

    static final TestCertificates.Issued CERT = TestCertificates.authority("Foreign test CA")
            .issue("*.shop.example.com", "*.other.example.com");

    @TempDir
    Path dir;

    Path manifest(Simulator simulator, String mode, String... domains) throws Exception {
        return ShopWorld.manifest(simulator).attachChunk(2).mode(mode).domains(domains).write(dir, CERT);
    }

    @Test
    void foreignAttachment_survivesRemovalAndMigration_andTheCertificateIsKept() throws Exception {
        try (Simulator simulator = ShopWorld.start(6, 4, 17)) {
            simulator.world().addDomain("inst1", "grpX", "x1", "api.other.example.com");
            Path manifest = manifest(simulator, "shared", ShopWorld.EVERY_DOMAIN);
            assertEquals(0, CliRun.run("apply", "--auto-approve", "-f", manifest.toString()).exitCode());
            String id = ShopWorld.certificate(dir).sslId();
            assertEquals(204, SharedModelGuaranteesTest.call(simulator, "POST", "/v2/proj1/apic/certificates/" + id
                    + "/domains/attach", "{\"domains\":[{\"domain\":\"api.other.example.com\",\"instance_ids\":"
                    + "[\"inst1\"]}]}").statusCode());
            List<String> bare = Collections.synchronizedList(new ArrayList<>());
            simulator.world().onCommit(view -> {
                if (view.bare() && (view.groupId().equals("grp0") || view.groupId().equals("grp2"))) {
                    bare.add(view.urlDomain());
                }
            });

            // grp1 and grp3 leave the manifest: only they are detached
            manifest(simulator, "shared", "{ group_id: grp0, match: \"*.shop.example.com\" }",
                    "{ group_id: grp2, match: \"*.shop.example.com\" }");
            CliRun removal = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, removal.exitCode(), removal.toString());
            for (World.DomainView d : simulator.world().domains()) {
                boolean kept = d.groupId().equals("grp0") || d.groupId().equals("grp2") || d.groupId().equals("grpX");
                assertEquals(kept ? List.of(id) : List.of(), d.attachedIds(), d.urlDomain() + "\n" + removal);
            }

            // the rest moves to per-domain: the certificate stays for the foreign domain
            manifest(simulator, "per-domain", "{ group_id: grp0, match: \"*.shop.example.com\" }",
                    "{ group_id: grp2, match: \"*.shop.example.com\" }");
            CliRun migrate = CliRun.run("apply", "--auto-approve", "-f", manifest.toString());
            assertTrue((migrate.out() + migrate.err()).contains("still attached"), migrate.toString());
            assertEquals(List.of(), bare, "managed domains left without a certificate");
            for (World.DomainView d : simulator.world().domains()) {
                if (d.groupId().equals("grpX")) {
                    assertEquals(List.of(id), d.attachedIds(), "the foreign attachment stays\n" + migrate);
                } else if (d.groupId().equals("grp0") || d.groupId().equals("grp2")) {
                    assertEquals(List.of(), d.attachedIds(), d.urlDomain() + " detached\n" + migrate);
                    assertTrue(d.sslId() != null, d.urlDomain() + " carries its own certificate\n" + migrate);
                }
            }
            assertEquals(1, simulator.world().managedCertificateCount(), "the certificate in use is kept");
        }
    }
}
