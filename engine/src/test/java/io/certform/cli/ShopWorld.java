package io.certform.cli;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testing.GatewayWorld;
import io.certform.testing.TestManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The shop world of the shared-model and rollout tests, as {@link GatewayWorld#shop}: a simulator with N domains
 * {@code d<i>} named {@code api<i>.shop.example.com}, spread over G groups {@code grp<i % G>} of instance
 * {@code inst1}; a manifest that binds one certificate, {@code wild}, to them; and the state that certform wrote,
 * read back.
 */
public final class ShopWorld {

    /** The match: entry that selects every domain of the world. */
    public static final String EVERY_DOMAIN = "match: \"*.shop.example.com\"";

    private ShopWorld() {
    }

    /** The world: N domains over G groups. */
    public static World world(int domains, int groups) {
        return GatewayWorld.shop(domains, groups).world();
    }

    /** The simulator's options: it accepts the token of {@link CliRun#TOKEN_ENV}, and draws from {@code seed}. */
    public static SimulatorOptions options(long seed) {
        return SimulatorOptions.defaults().withTokens(Set.of(GatewayWorld.TOKEN)).withSeed(seed);
    }

    /** A simulator of N domains over G groups that never fails a call. */
    public static Simulator start(int domains, int groups, long seed) throws Exception {
        return start(domains, groups, options(seed).withFaults(Faults.none()));
    }

    /** A simulator of N domains over G groups with these options (e.g. {@code options(seed).withFaults(...)}). */
    public static Simulator start(int domains, int groups, SimulatorOptions options) throws Exception {
        return Simulator.start(world(domains, groups), options, 0);
    }

    /**
     * A simulator of N domains over G groups with the simulator's default faults, that also serves each domain's
     * certificate over TLS (on {@link Simulator#tlsPort()}), for rollouts that check what is served.
     */
    public static Simulator startServingTls(int domains, int groups, long seed) throws Exception {
        Simulator simulator = start(domains, groups, options(seed));
        simulator.serveTls(0, TlsFaults.none());
        return simulator;
    }

    /** The rollout's probe line for a simulator that serves TLS; the roots in {@code roots.pem}. */
    public static String tlsProbe(Simulator simulator) {
        return "probe: { resolve: \"127.0.0.1:" + simulator.tlsPort()
                + "\", timeout: 2s, propagation: 1s, roots: \"${file:roots.pem}\" }";
    }

    /**
     * A manifest for {@code simulator}'s endpoint, to be shaped and then written: one certificate, {@code wild},
     * named wild_cert, on {@link #EVERY_DOMAIN}.
     */
    public static TestManifest manifest(Simulator simulator) {
        return GatewayWorld.manifest(simulator.baseUrl(), List.of()).key("wild").name("wild_cert")
                .domains(EVERY_DOMAIN);
    }

    /** The state certform wrote in {@code dir} (the default local state file). */
    public static State state(Path dir) throws Exception {
        return GatewayWorld.state(dir);
    }

    /** The resources of {@link #state(Path)}. */
    public static List<ResourceState> resources(Path dir) throws Exception {
        return state(dir).resources();
    }

    /** The certificate resource of {@link #state(Path)} (the first, where there are more). */
    public static ResourceState certificate(Path dir) throws Exception {
        return resources(dir).stream().filter(ResourceState::certificateResource).findFirst().orElseThrow();
    }
}
