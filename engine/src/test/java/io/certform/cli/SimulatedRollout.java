package io.certform.cli;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testing.GatewayWorld;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.IntFunction;

/**
 * A rollout to rehearse, as the older tests name it: a {@link GatewayWorld} of N domains {@code dom<i>} named
 * {@code d<i>.example.com}, and its default manifest, one certificate ({@code site}) on all of them.
 *
 * @param group       the group of domain i
 * @param byId        whether the manifest names each domain by id (else by name only)
 */
public record SimulatedRollout(int bindings, IntFunction<String> group, boolean byId) {

    /** Five domains per group (the API's limit), named and given by id. */
    public static SimulatedRollout ofGroupsOfFive(int bindings) {
        return new SimulatedRollout(bindings, i -> "grp" + (i / 5), true);
    }

    /** The fixture's world of these domains. */
    public GatewayWorld.Builder gateway() {
        return GatewayWorld.of(bindings).groups(group);
    }

    /** The simulator's world: instance {@code inst1} with every group and domain. */
    public World world() {
        return gateway().world();
    }

    /** A simulator of {@link #world()} with these options, that accepts the token of {@link CliRun#TOKEN_ENV}. */
    public Simulator start(SimulatorOptions options) throws Exception {
        return Simulator.start(world(), gateway().options(options).simulatorOptions(), 0);
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
        var manifest = gateway().manifest("").provider(provider).afterMaterial(certificateExtra);
        return (byId ? manifest : manifest.byName()).write(folder, wildcard);
    }
}
