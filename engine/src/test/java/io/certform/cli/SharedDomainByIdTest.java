package io.certform.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared model attaches a domain by its name; a domain the manifest gives by {@code domain_id} alone is named
 * from its group (or the state), so it is attached like one given by name.
 */
class SharedDomainByIdTest {

    private static final Map<String, String> ENV = Map.of("CERTFORM_AUTH_TOKEN", "tok");

    @TempDir
    Path dir;

    @Test
    void sharedCertificate_domainsGivenByIdAlone_areAttachedByTheirNames() throws Exception {
        TestCertificates.Issued wildcard = TestCertificates.authority("By-id CA").issue("*.example.com");
        try (GatewayWorld gateway = GatewayWorld.of(4).start()) {
            Path manifest = gateway.manifest().afterMaterial("    mode: shared\n").write(dir, wildcard);
            Files.writeString(manifest, Files.readString(manifest).replaceAll(", domain: d\\d+\\.example\\.com", ""));
            assertFalse(Files.readString(manifest).contains("domain: d0"), "the domains are given by id alone");

            CliRun plan = CliRun.run(ENV, "", "plan", "-f", manifest.toString());
            assertEquals(0, plan.exitCode(), plan.toString());
            assertFalse(plan.out().contains("url_domain = (known after apply)"), "the names are read: " + plan);
            CliRun apply = CliRun.run(ENV, "", "apply", "--auto-approve", "-f", manifest.toString());
            assertEquals(0, apply.exitCode(), apply.toString());

            List<ResourceState> attachments = new LocalStateStore(dir.resolve("certform.state.json"), "t").read()
                    .resources().stream().filter(r -> !r.certificateResource()).toList();
            assertEquals(List.of("d0.example.com", "d1.example.com", "d2.example.com", "d3.example.com"),
                    attachments.stream().map(ResourceState::urlDomain).sorted().toList(), apply.toString());
            assertTrue(attachments.stream().allMatch(r -> r.domainId().startsWith("dom")), attachments.toString());
            CliRun again = CliRun.run(ENV, "", "plan", "--detailed-exitcode", "-f", manifest.toString());
            assertEquals(0, again.exitCode(), again.toString());
        }
    }
}
