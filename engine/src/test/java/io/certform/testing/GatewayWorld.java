package io.certform.testing;

import io.certform.cli.CliRun;
import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.TlsFaults;
import io.certform.simulator.World;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.local.LocalStateStore;
import io.certform.testkit.TestCertificates;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fixture of the end-to-end tests: an embedded simulator whose world has N domains (their groups, ids and names
 * chosen by the test, some already carrying a certificate bound by hand), the credentials certform needs to reach it
 * ({@link #env()}, the token {@value #TOKEN}), a manifest written from the world ({@link #manifest()}, per-domain or
 * shared), and the state certform wrote, read back ({@link #state(Path)}; PostgreSQL: {@link PostgresSchema}).
 *
 * <pre>{@code
 * try (GatewayWorld gateway = GatewayWorld.of(6).start()) {            // dom0..dom5, grp0 and grp1
 *     Path manifest = gateway.manifest().mode("shared").write(dir, cert);
 *     CliRun apply = gateway.cli().run("apply", "--auto-approve", "-f", manifest.toString());
 *     List<ResourceState> recorded = GatewayWorld.state(dir).resources();
 * }
 * }</pre>
 */
public final class GatewayWorld implements AutoCloseable {

    /** The token the simulator accepts, and that {@link #env()} gives certform. */
    public static final String TOKEN = "tok";
    /** The instance of every domain. */
    public static final String INSTANCE = "inst1";

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One domain of the world: its group, id and name. */
    public record Domain(String groupId, String domainId, String urlDomain) {
    }

    private Simulator simulator;
    private final List<Domain> domains;

    private GatewayWorld(Simulator simulator, List<Domain> domains) {
        this.simulator = simulator;
        this.domains = domains;
    }

    /**
     * A world of {@code domains} domains, by default {@code dom<i>} named {@code d<i>.example.com}, five to a group
     * ({@code grp<i/5>}, the API's limit per call), all in {@value #INSTANCE}; the simulator's default options.
     */
    public static Builder of(int domains) {
        return new Builder(domains);
    }

    /**
     * The shop world of the shared-model and rollout tests: domains {@code d<i>} named
     * {@code api<i>.shop.example.com}, over {@code groups} groups {@code grp<i % groups>}.
     */
    public static Builder shop(int domains, int groups) {
        return of(domains).groups(i -> "grp" + (i % groups)).ids(i -> "d" + i)
                .names(i -> "api" + i + ".shop.example.com");
    }

    /**
     * The quickstart's world (examples/quickstart): {@code api.shop.example.com} and {@code www.shop.example.com}
     * (dom1, dom2) in grp1, {@code status.example.com} (dom3) in grp2.
     */
    public static Builder quickstart() {
        return of(0).domain("grp1", "dom1", "api.shop.example.com").domain("grp1", "dom2", "www.shop.example.com")
                .domain("grp2", "dom3", "status.example.com");
    }

    /** The environment certform needs to reach the simulator: the token it accepts. */
    public static Map<String, String> env() {
        return CliRun.TOKEN_ENV;
    }

    /** The runner with {@link #env()}: the one in-process command line. */
    public CliRun.Runner cli() {
        return CliRun.runner().env(env());
    }

    public Simulator simulator() {
        return simulator;
    }

    public String baseUrl() {
        return simulator.baseUrl();
    }

    public World world() {
        return simulator.world();
    }

    /** The port that serves each domain's certificate over TLS ({@link Builder#servingTls()}). */
    public int tlsPort() {
        return simulator.tlsPort();
    }

    /** The world's domains, in the order they were made (domain i is {@code domains().get(i)}). */
    public List<Domain> domains() {
        return domains;
    }

    /** A manifest for this simulator's endpoint naming every domain of the world, to be shaped and then written. */
    public TestManifest manifest() {
        return manifest(baseUrl(), domains);
    }

    /** As {@link #manifest()}, for the simulator at {@code endpoint} and {@code domains}. */
    public static TestManifest manifest(String endpoint, List<Domain> domains) {
        return new TestManifest("endpoint: \"" + endpoint + "\", project_id: proj1", domains);
    }

    /**
     * A certificate generated for this world, by a CA of its own: one wildcard per parent domain of its domains
     * ({@code *.example.com} for {@code d0.example.com}), so that it covers every one of them.
     */
    public TestCertificates.Issued certificate() {
        String[] wildcards = domains.stream().map(d -> "*" + d.urlDomain().substring(d.urlDomain().indexOf('.')))
                .distinct().toArray(String[]::new);
        return TestCertificates.authority("GatewayWorld CA").issue(wildcards);
    }

    /**
     * Binds {@code certificate} to domain {@code index} by hand (the simulator's {@code /_simulator/rebind}, as an
     * operator in the console would), named {@code sslName}; the simulator's answer.
     */
    public HttpResponse<String> bindByHand(int index, String sslName, TestCertificates.Issued certificate)
            throws Exception {
        Domain domain = domains.get(index);
        ObjectNode body = JSON.createObjectNode();
        body.put("instance_id", INSTANCE).put("group_id", domain.groupId()).put("domain_id", domain.domainId())
                .put("name", sslName).put("cert_content", certificate.chainPem())
                .put("private_key", certificate.privateKeyPem());
        return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/_simulator/rebind"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The gateway goes down and comes back with {@code options} (e.g. without the faults it had): a new simulator
     * on the same world and the same port, so that what the state records still names it. The old one is closed.
     */
    public void restart(SimulatorOptions options) throws Exception {
        int port = simulator.port();
        World world = simulator.world();
        simulator.close();
        simulator = Simulator.start(world, withToken(options), port);
    }

    /** {@code options}, accepting {@value #TOKEN} where they name no token. */
    private static SimulatorOptions withToken(SimulatorOptions options) {
        return options.tokens().isEmpty() ? options.withTokens(Set.of(TOKEN)) : options;
    }

    /** The state certform wrote in {@code dir} (the default local state file, {@code certform.state.json}). */
    public static State state(Path dir) throws Exception {
        return new LocalStateStore(dir.resolve("certform.state.json"), "t").read();
    }

    /** The resources of {@link #state(Path)}. */
    public static List<ResourceState> resources(Path dir) throws Exception {
        return state(dir).resources();
    }

    @Override
    public void close() {
        simulator.close();
    }

    /** A certificate bound by hand before the test starts. */
    private record Bound(int index, String sslName, TestCertificates.Issued certificate) {
    }

    /** How the world is made; {@link #start()} starts its simulator. */
    public static final class Builder {
        private final int count;
        private IntFunction<String> group = i -> "grp" + (i / 5);
        private IntFunction<String> id = i -> "dom" + i;
        private IntFunction<String> name = i -> "d" + i + ".example.com";
        private SimulatorOptions options = SimulatorOptions.defaults();
        private boolean asGiven;
        private final List<Domain> listed = new ArrayList<>();
        private final List<Bound> boundByHand = new ArrayList<>();
        private int port;
        private boolean tls;

        private Builder(int count) {
            this.count = count;
        }

        /** The group of domain i. */
        public Builder groups(IntFunction<String> groupOf) {
            this.group = groupOf;
            return this;
        }

        /** The id of domain i. */
        public Builder ids(IntFunction<String> idOf) {
            this.id = idOf;
            return this;
        }

        /** The name of domain i. */
        public Builder names(IntFunction<String> nameOf) {
            this.name = nameOf;
            return this;
        }

        /**
         * The simulator's options exactly as given, no token added: where they name none, the simulator accepts any
         * (for the tests of other credentials: AK/SK, IAM passwords).
         */
        public Builder optionsAsGiven(SimulatorOptions simulatorOptions) {
            this.options = simulatorOptions;
            this.asGiven = true;
            return this;
        }

        /** One more domain, after the N made by the functions above. */
        public Builder domain(String groupId, String domainId, String urlDomain) {
            listed.add(new Domain(groupId, domainId, urlDomain));
            return this;
        }

        /** The port the simulator listens on (0, the default: a free one). */
        public Builder port(int listenPort) {
            this.port = listenPort;
            return this;
        }

        /** The simulator also serves each domain's certificate over TLS, on {@link GatewayWorld#tlsPort()}. */
        public Builder servingTls() {
            this.tls = true;
            return this;
        }

        /**
         * The simulator's options (faults, seed, clock, credentials...); where they name no token, it accepts
         * {@value #TOKEN} (and no other).
         */
        public Builder options(SimulatorOptions simulatorOptions) {
            this.options = simulatorOptions;
            this.asGiven = false;
            return this;
        }

        /** Domain {@code index} already carries {@code certificate}, named {@code sslName}, bound by hand. */
        public Builder boundByHand(int index, String sslName, TestCertificates.Issued certificate) {
            boundByHand.add(new Bound(index, sslName, certificate));
            return this;
        }

        /** The domains of the world. */
        public List<Domain> domains() {
            List<Domain> all = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                all.add(new Domain(group.apply(i), id.apply(i), name.apply(i)));
            }
            all.addAll(listed);
            return all;
        }

        /** A manifest naming the world's domains, for the simulator at {@code endpoint}. */
        public TestManifest manifest(String endpoint) {
            return GatewayWorld.manifest(endpoint, domains());
        }

        /** The world as a {@link World}, for a test that starts something else on it. */
        public World world() {
            World world = new World();
            for (Domain d : domains()) {
                world.addDomain(INSTANCE, d.groupId(), d.domainId(), d.urlDomain());
            }
            return world;
        }

        /** The options the simulator starts with: the test's, accepting {@value #TOKEN} where they name no token. */
        public SimulatorOptions simulatorOptions() {
            return asGiven ? options : withToken(options);
        }

        /** As {@link #start()}, for a test that needs only the simulator (closing it closes the fixture). */
        public Simulator startSimulator() throws Exception {
            return start().simulator();
        }

        /** Starts the simulator on a free port, and binds by hand what {@link #boundByHand} says. */
        public GatewayWorld start() throws Exception {
            GatewayWorld started = new GatewayWorld(Simulator.start(world(), simulatorOptions(), port), domains());
            try {
                if (tls) {
                    started.simulator.serveTls(0, TlsFaults.none());
                }
                for (Bound bound : boundByHand) {
                    HttpResponse<String> answer = started.bindByHand(bound.index(), bound.sslName(),
                            bound.certificate());
                    if (answer.statusCode() != 200) {
                        throw new IllegalStateException("the simulator refused to bind " + bound.sslName() + " to "
                                + started.domains.get(bound.index()) + " by hand (HTTP " + answer.statusCode() + "): "
                                + answer.body());
                    }
                }
            } catch (Exception | Error e) {
                started.close();
                throw e;
            }
            return started;
        }
    }
}
