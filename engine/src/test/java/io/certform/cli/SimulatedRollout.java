package io.certform.cli;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A rollout to rehearse: N domains {@code dom<i>} named {@code d<i>.example.com}, spread over API groups, and a
 * manifest that binds one wildcard certificate ({@code site}) to all of them.
 *
 * @param group       the group of domain i
 * @param byId        whether the manifest names each domain by id (else by name only)
 */
public record SimulatedRollout(int bindings, IntFunction<String> group, boolean byId) {

    /** Five domains per group (the API's limit), named and given by id. */
    public static SimulatedRollout ofGroupsOfFive(int bindings) {
        return new SimulatedRollout(bindings, i -> "grp" + (i / 5), true);
    }

    /** The simulator's world: instance {@code inst1} with every group and domain. */
    public World world() {
        World world = new World();
        for (int i = 0; i < bindings; i++) {
            world.addDomain("inst1", group.apply(i), "dom" + i, "d" + i + ".example.com");
        }
        return world;
    }

    /** A simulator of {@link #world()} with these options, that accepts the token of {@link CliRun#TOKEN_ENV}. */
    public Simulator start(SimulatorOptions options) throws Exception {
        return Simulator.start(world(), options.withTokens(Set.of("tok")), 0);
    }

    /** As {@link #write(Path, String, TestCertificates.Issued, String)}, for {@code simulator} and project proj1. */
    public Path write(Path folder, Simulator simulator, TestCertificates.Issued wildcard) throws IOException {
        return write(folder, "endpoint: \"" + simulator.baseUrl() + "\", project_id: proj1", wildcard, "");
    }

    /**
     * Writes {@code certform.yaml}, {@code wild.crt} and {@code wild.key} into {@code folder}.
     *
     * @param provider       the provider block's content, e.g. {@code endpoint: "http://127.0.0.1:1234"}
     * @param certificateExtra lines added to the certificate entry (each indented by four spaces), or ""
     */
    public Path write(Path folder, String provider, TestCertificates.Issued wildcard, String certificateExtra)
            throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("wild.crt"), wildcard.chainPem());
        Files.writeString(folder.resolve("wild.key"), wildcard.privateKeyPem());
        StringBuilder text = new StringBuilder("""
                version: 1
                provider: { %s }
                defaults: { instance_id: inst1 }
                certificates:
                  site:
                    name: site_cert
                    cert_content: ${file:wild.crt}
                    private_key: ${file:wild.key}
                %s    domains:
                """.formatted(provider, certificateExtra));
        for (int i = 0; i < bindings; i++) {
            text.append("      - { group_id: ").append(group.apply(i))
                    .append(byId ? ", domain_id: dom" + i : "").append(", domain: d").append(i).append(".example.com }\n");
        }
        Path manifest = folder.resolve("certform.yaml");
        Files.writeString(manifest, text);
        return manifest;
    }
}
