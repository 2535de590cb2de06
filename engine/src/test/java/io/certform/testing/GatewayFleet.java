package io.certform.testing;

import io.certform.simulator.Simulator;
import io.certform.simulator.SimulatorOptions;
import io.certform.simulator.World;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * The fixture of the fleet tests: N simulators in this JVM at once, one per named provider, each on its own port with
 * its own world (its region, its project: a path naming another project answers 404 APIG.3030, as the real service
 * answers a wrong project id), its own credentials and its own faults (throttling, latency, authentication failing
 * for a while), and the {@code providers:} block a manifest needs to reach them ({@link #providersBlock()}), with
 * the environment its credential references read ({@link #env()}).
 *
 * <pre>{@code
 * try (GatewayFleet fleet = GatewayFleet.builder()
 *         .provider("staging", p -> p.region("cn-north-4").domains(2000))
 *         .provider("eu", p -> p.region("eu-west-101").domains(2000)
 *                 .options(SimulatorOptions.defaults().withFaults(Faults.none().withRates(0, 0.2, 0, 0))))
 *         .provider("us", p -> p.domains(2000).authFail(50))          // the first 50 calls answer 401
 *         .start()) {
 *     Path manifest = fleet.write(dir, fleet.certificate());           // one certificate on every domain
 *     CliRun apply = CliRun.runner().env(fleet.env()).run("apply", "--auto-approve", "-f", manifest.toString());
 *     fleet.simulator("us").restoreAuthentication();                    // or failAuthenticationFor(window)
 * }
 * }</pre>
 */
public final class GatewayFleet implements AutoCloseable {

    /** How a provider authenticates, and so what its block's {@code credentials} say. */
    public enum Credentials {
        /** {@code credentials: { token: ${env:CERTFORM_FLEET_<NAME>_TOKEN} }}; the simulator accepts that token only. */
        TOKEN,
        /** {@code credentials: { ak: ..., sk: ... }} from {@code CERTFORM_FLEET_<NAME>_AK/_SK}; AK/SK signatures only. */
        AKSK,
        /** No {@code credentials}: the conventional sources, {@code CERTFORM_AUTH_TOKEN=tok} in {@link #env()}. */
        CONVENTIONAL
    }

    /** One running provider: its name, what its block says, its domains and its simulator. */
    public record Member(String name, String region, String projectId, String instanceId, Credentials credentials,
                         List<String> extraLines, List<GatewayWorld.Domain> domains, Simulator simulator) {
    }

    private final List<Member> members;

    private GatewayFleet(List<Member> members) {
        this.members = members;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The providers in the order they were declared. */
    public List<Member> members() {
        return members;
    }

    public Member member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no provider " + name + " in this fleet"));
    }

    public Simulator simulator(String name) {
        return member(name).simulator();
    }

    public World world(String name) {
        return simulator(name).world();
    }

    /** The variables the credential references of {@link #providersBlock()} read, and the conventional token. */
    public Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>(GatewayWorld.env());
        for (Member m : members) {
            switch (m.credentials()) {
                case TOKEN -> env.put(variable(m.name(), "TOKEN"), token(m.name()));
                case AKSK -> {
                    env.put(variable(m.name(), "AK"), accessKey(m.name()));
                    env.put(variable(m.name(), "SK"), secretKey(m.name()));
                }
                case CONVENTIONAL -> { }
            }
        }
        return Map.copyOf(env);
    }

    /** {@code CERTFORM_FLEET_<NAME>_<WHAT>}: the provider's name in upper case, {@code -} as {@code _}. */
    public static String variable(String provider, String what) {
        return "CERTFORM_FLEET_" + provider.toUpperCase(Locale.ROOT).replace('-', '_') + "_" + what;
    }

    /** The token a {@link Credentials#TOKEN} provider's simulator accepts. */
    public static String token(String provider) {
        return "tok-" + provider;
    }

    /** The access key of a {@link Credentials#AKSK} provider. */
    public static String accessKey(String provider) {
        return "AK" + provider.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "") + "FLEETTEST";
    }

    /** The secret key of a {@link Credentials#AKSK} provider (a test value, never a real one). */
    public static String secretKey(String provider) {
        return "sk-" + provider + "-fleet-test-secret";
    }

    /**
     * The {@code providers:} block for the fleet, each provider's endpoint, region, project and credentials
     * references (and its extra lines), as a manifest holds it:
     * <pre>
     * providers:
     *   eu:
     *     endpoint: "http://127.0.0.1:PORT"
     *     region: eu-west-101
     *     project_id: proj-eu
     *     credentials: { token: "${env:CERTFORM_FLEET_EU_TOKEN}" }
     * </pre>
     */
    public String providersBlock() {
        StringBuilder text = new StringBuilder("providers:\n");
        for (Member m : members) {
            text.append("  ").append(m.name()).append(":\n")
                    .append("    endpoint: \"").append(m.simulator().baseUrl()).append("\"\n");
            if (m.region() != null) {
                text.append("    region: ").append(m.region()).append('\n');
            }
            text.append("    project_id: ").append(m.projectId()).append('\n');
            switch (m.credentials()) {
                case TOKEN -> text.append("    credentials: { token: \"${env:").append(variable(m.name(), "TOKEN"))
                        .append("}\" }\n");
                case AKSK -> text.append("    credentials: { ak: \"${env:").append(variable(m.name(), "AK"))
                        .append("}\", sk: \"${env:").append(variable(m.name(), "SK")).append("}\" }\n");
                case CONVENTIONAL -> { }
            }
            m.extraLines().forEach(line -> text.append("    ").append(line).append('\n'));
        }
        return text.toString();
    }

    /**
     * Every domain of the fleet as a binding entry naming its provider, instance, group, id and name:
     * {@code { provider: eu, instance_id: inst1, group_id: grp0, domain_id: dom0, domain: d0.eu.example.com }}.
     */
    public List<String> domainEntries() {
        List<String> entries = new ArrayList<>();
        for (Member m : members) {
            for (GatewayWorld.Domain d : m.domains()) {
                entries.add("{ provider: " + m.name() + ", instance_id: " + m.instanceId() + ", group_id: "
                        + d.groupId() + ", domain_id: " + d.domainId() + ", domain: " + d.urlDomain() + " }");
            }
        }
        return entries;
    }

    /**
     * A manifest of the fleet: {@link #providersBlock()}, and one certificate, {@code site} named {@code site_cert},
     * its material in {@code wild.crt} and {@code wild.key}, on every domain of every provider
     * ({@link #domainEntries()}); {@code certificateLines} are added to the entry (e.g. {@code mode: shared}).
     */
    public String manifestText(String... certificateLines) {
        StringBuilder text = new StringBuilder("version: 1\n").append(providersBlock())
                .append("certificates:\n  site:\n    name: site_cert\n");
        for (String line : certificateLines) {
            text.append("    ").append(line).append('\n');
        }
        text.append("    cert_content: ${file:wild.crt}\n    private_key: ${file:wild.key}\n    domains:\n");
        domainEntries().forEach(entry -> text.append("      - ").append(entry).append('\n'));
        return text.toString();
    }

    /** Writes {@link #manifestText} as {@code certform.yaml} and {@code cert}'s material into {@code dir}. */
    public Path write(Path dir, TestCertificates.Issued cert, String... certificateLines) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("wild.crt"), cert.chainPem());
        Files.writeString(dir.resolve("wild.key"), cert.privateKeyPem());
        Path manifest = dir.resolve("certform.yaml");
        Files.writeString(manifest, manifestText(certificateLines));
        return manifest;
    }

    /** A certificate covering every domain of the fleet: one wildcard per parent domain, from a CA of its own. */
    public TestCertificates.Issued certificate() {
        String[] wildcards = members.stream().flatMap(m -> m.domains().stream())
                .map(d -> "*" + d.urlDomain().substring(d.urlDomain().indexOf('.'))).distinct()
                .toArray(String[]::new);
        return TestCertificates.authority("GatewayFleet CA").issue(wildcards);
    }

    @Override
    public void close() {
        members.forEach(m -> m.simulator().close());
    }

    /** How one provider is made; every setter is optional. */
    public static final class Provider {
        private final String name;
        private String region;
        private String project;
        private String instance = GatewayWorld.INSTANCE;
        private int count;
        private IntFunction<String> group = i -> "grp" + (i / 5);
        private IntFunction<String> id = i -> "dom" + i;
        private IntFunction<String> domainName;
        private SimulatorOptions options = SimulatorOptions.defaults();
        private Credentials credentials = Credentials.TOKEN;
        private int authFail;
        private int port;
        private final List<String> extraLines = new ArrayList<>();

        private Provider(String name) {
            this.name = name;
            this.project = "proj-" + name;
            this.domainName = i -> "d" + i + "." + name + ".example.com";
        }

        /** The region written in the block and the world (a label: the endpoint is the simulator's). */
        public Provider region(String value) {
            this.region = value;
            return this;
        }

        /** The project id (default {@code proj-<name>}): the world's, and the block's {@code project_id}. */
        public Provider project(String value) {
            this.project = value;
            return this;
        }

        /** The instance of every domain (default {@value GatewayWorld#INSTANCE}). */
        public Provider instance(String value) {
            this.instance = value;
            return this;
        }

        /** {@code n} domains, by default {@code dom<i>} named {@code d<i>.<name>.example.com}, five to a group. */
        public Provider domains(int n) {
            this.count = n;
            return this;
        }

        public Provider groups(IntFunction<String> groupOf) {
            this.group = groupOf;
            return this;
        }

        public Provider ids(IntFunction<String> idOf) {
            this.id = idOf;
            return this;
        }

        public Provider names(IntFunction<String> nameOf) {
            this.domainName = nameOf;
            return this;
        }

        /** The simulator's options: faults, latency, seed, clock. Its credentials are the fixture's, by kind. */
        public Provider options(SimulatorOptions value) {
            this.options = value;
            return this;
        }

        public Provider credentials(Credentials kind) {
            this.credentials = kind;
            return this;
        }

        /** The first {@code calls} calls that authenticate answer 401 (then the simulator's methods take over). */
        public Provider authFail(int calls) {
            this.authFail = calls;
            return this;
        }

        public Provider port(int listenPort) {
            this.port = listenPort;
            return this;
        }

        /** Lines added to the provider's block as written (e.g. {@code parallelism: 4}, {@code rate: 20/s}). */
        public Provider lines(String... lines) {
            extraLines.addAll(List.of(lines));
            return this;
        }

        private List<GatewayWorld.Domain> domainList() {
            List<GatewayWorld.Domain> all = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                all.add(new GatewayWorld.Domain(group.apply(i), id.apply(i), domainName.apply(i)));
            }
            return all;
        }

        private SimulatorOptions simulatorOptions() {
            return switch (credentials) {
                case TOKEN -> options.withTokens(Set.of(token(name)));
                case AKSK -> options.withTokens(Set.of("no token is accepted by " + name))
                        .withKeys(Map.of(accessKey(name), new SimulatorOptions.AccessKey(secretKey(name), null)));
                case CONVENTIONAL -> options.withTokens(Set.of(GatewayWorld.TOKEN));
            };
        }

        private Member start() throws IOException {
            List<GatewayWorld.Domain> domains = domainList();
            World world = new World();
            world.projectId(project);
            world.region(region);
            world.addInstance(instance);
            for (GatewayWorld.Domain d : domains) {
                world.addDomain(instance, d.groupId(), d.domainId(), d.urlDomain());
            }
            Simulator simulator = Simulator.start(world, simulatorOptions(), port);
            if (authFail > 0) {
                simulator.failAuthentication(authFail);
            }
            return new Member(name, region, project, instance, credentials, List.copyOf(extraLines),
                    List.copyOf(domains), simulator);
        }
    }

    /** The providers of the fleet, in declared order; {@link #start()} starts their simulators. */
    public static final class Builder {
        private final List<Provider> providers = new ArrayList<>();

        /** A provider named {@code name} ({@code [a-z][a-z0-9_-]*}), shaped by {@code shape}. */
        public Builder provider(String name, Consumer<Provider> shape) {
            if (!name.matches("[a-z][a-z0-9_-]{0,31}")) {
                throw new IllegalArgumentException("a provider name is [a-z][a-z0-9_-]*, at most 32: " + name);
            }
            if (providers.stream().anyMatch(p -> p.name.equals(name))) {
                throw new IllegalArgumentException("provider " + name + " twice");
            }
            Provider provider = new Provider(name);
            shape.accept(provider);
            providers.add(provider);
            return this;
        }

        /** Starts every provider's simulator, each on its own port; on a failure, closes those started. */
        public GatewayFleet start() throws IOException {
            List<Member> started = new ArrayList<>();
            try {
                for (Provider provider : providers) {
                    started.add(provider.start());
                }
            } catch (IOException | RuntimeException | Error e) {
                started.forEach(m -> m.simulator().close());
                throw e;
            }
            return new GatewayFleet(List.copyOf(started));
        }
    }
}
