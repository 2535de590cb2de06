package io.certform.cli;

import io.certform.simulator.Faults;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The shop world of the shared-model and rollout tests: a simulator with N domains {@code d<i>} named
 * {@code api<i>.shop.example.com}, spread over G groups {@code grp<i % G>} of instance {@code inst1}; a manifest that
 * binds one certificate, {@code wild}, to them; and the state that certform wrote, read back.
 */
public final class ShopWorld {

    /** The match: entry that selects every domain of the world. */
    public static final String EVERY_DOMAIN = "match: \"*.shop.example.com\"";

    private ShopWorld() {
    }

    /** The world: N domains over G groups. */
    public static World world(int domains, int groups) {
        World world = new World();
        for (int i = 0; i < domains; i++) {
            world.addDomain("inst1", "grp" + (i % groups), "d" + i, "api" + i + ".shop.example.com");
        }
        return world;
    }

    /** The simulator's options: it accepts the token of {@link CliRun#TOKEN_ENV}, and draws from {@code seed}. */
    public static SimulatorOptions options(long seed) {
        return SimulatorOptions.defaults().withTokens(Set.of("tok")).withSeed(seed);
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

    /** A manifest for {@code simulator}'s endpoint, to be shaped and then written. */
    public static Manifest manifest(Simulator simulator) {
        return new Manifest(simulator.baseUrl());
    }

    /** The state certform wrote in {@code dir} (the default local state file). */
    public static State state(Path dir) throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
    }

    /** The resources of {@link #state(Path)}. */
    public static List<ResourceState> resources(Path dir) throws Exception {
        return state(dir).resources();
    }

    /** The certificate resource of {@link #state(Path)} (the first, where there are more). */
    public static ResourceState certificate(Path dir) throws Exception {
        return resources(dir).stream().filter(ResourceState::certificateResource).findFirst().orElseThrow();
    }

    /**
     * {@code certform.yaml} with one certificate, {@code wild}: by default named wild_cert, in the manifest's default
     * mode and type, its material in {@code wild.crt} and {@code wild.key}, on {@link #EVERY_DOMAIN}.
     */
    public static final class Manifest {
        private final String endpoint;
        private int attachChunk;
        private String name = "wild_cert";
        private String mode;
        private String type;
        private String material = "wild";
        private final List<String> rollout = new ArrayList<>();
        private final List<String> certificateLines = new ArrayList<>();
        private List<String> domains = List.of(EVERY_DOMAIN);

        private Manifest(String endpoint) {
            this.endpoint = endpoint;
        }

        /** The provider's attach_chunk (0: not written). */
        public Manifest attachChunk(int chunk) {
            this.attachChunk = chunk;
            return this;
        }

        public Manifest name(String sslName) {
            this.name = sslName;
            return this;
        }

        /** The certificate's mode ({@code shared}, {@code per-domain}); null: not written. */
        public Manifest mode(String certificateMode) {
            this.mode = certificateMode;
            return this;
        }

        /** The certificate's type ({@code global}, {@code instance}); null: not written. */
        public Manifest type(String certificateType) {
            this.type = certificateType;
            return this;
        }

        /** The base name of the certificate's files: {@code <material>.crt} and {@code <material>.key}. */
        public Manifest material(String baseName) {
            this.material = baseName;
            return this;
        }

        /** Lines of a rollout block (each indented under {@code rollout:}). */
        public Manifest rollout(String... lines) {
            rollout.addAll(List.of(lines));
            return this;
        }

        /** Lines added to the certificate entry, before its material (e.g. {@code lifecycle: ...}). */
        public Manifest certificate(String... lines) {
            certificateLines.addAll(List.of(lines));
            return this;
        }

        /** The certificate's domain entries, each the text after {@code - }. */
        public Manifest domains(String... entries) {
            this.domains = List.of(entries);
            return this;
        }

        /** Writes the manifest and {@code cert}'s material into {@code dir}; the manifest's path. */
        public Path write(Path dir, TestCertificates.Issued cert) throws IOException {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(material + ".crt"), cert.chainPem());
            Files.writeString(dir.resolve(material + ".key"), cert.privateKeyPem());
            StringBuilder text = new StringBuilder("version: 1\n")
                    .append("provider: { endpoint: \"").append(endpoint).append("\", project_id: proj1")
                    .append(attachChunk > 0 ? ", attach_chunk: " + attachChunk : "").append(" }\n")
                    .append("defaults: { instance_id: inst1 }\n");
            if (!rollout.isEmpty()) {
                text.append("rollout:\n");
                rollout.forEach(line -> text.append("  ").append(line).append('\n'));
            }
            text.append("certificates:\n  wild:\n    name: ").append(name).append('\n');
            if (mode != null) {
                text.append("    mode: ").append(mode).append('\n');
            }
            if (type != null) {
                text.append("    type: ").append(type).append('\n');
            }
            certificateLines.forEach(line -> text.append("    ").append(line).append('\n'));
            text.append("    cert_content: ${file:").append(material).append(".crt}\n")
                    .append("    private_key: ${file:").append(material).append(".key}\n")
                    .append("    domains:\n");
            domains.forEach(entry -> text.append("      - ").append(entry).append('\n'));
            Path manifest = dir.resolve("certform.yaml");
            Files.writeString(manifest, text);
            return manifest;
        }
    }
}
