package io.certform.bench;

import io.certform.cert.CertificateInfo;
import io.certform.cert.CertificateLoader;
import io.certform.cert.CertificatePolicy;
import io.certform.cert.LoadedCertificate;
import io.certform.base.Secret;
import io.certform.base.SourceRange;
import io.certform.state.local.LocalStateStore;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.testkit.TestCertificates;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a benchmark workspace: a wildcard rollout of N bindings, in entries of {@code perEntry} bindings each, where
 * every entry points at one of a few shared wildcard certificates ({@code certs/wildK.crt}, RSA and EC P-256, each
 * leaf + intermediate). Domains are named only ({@code group_id} + {@code domain}), five per API group, as a team
 * writes them; binding i is {@code dI.zK.example.com} in group {@code gI/5}.
 *
 * <p>Optionally: a state that records every binding as an apply would (one in a hundred with an older certificate,
 * so that a plan shows 1% updates and never contacts the API), and a simulator world with every group and domain.
 * Run by {@code bench/run.sh}; not a test.
 */
public final class BenchWorkspace {

    /** Domains per API group: the API's limit. */
    static final int DOMAINS_PER_GROUP = 5;

    /**
     * What to write.
     *
     * @param bindings     how many bindings
     * @param perEntry     bindings per certificate entry of the manifest
     * @param certificates distinct wildcard certificates shared by the entries
     * @param endpoint     the provider endpoint written into the manifest
     * @param state        write a state recording every binding (1% with an older certificate)
     * @param world        write {@code world.json} for the standalone simulator
     * @param spread       certificates expire at spread dates ({@link #LIFETIMES}, some inside their warning) rather
     *                     than all in a year: a timeline worth looking at
     */
    public record Spec(int bindings, int perEntry, int certificates, String endpoint, boolean state, boolean world,
                       boolean spread) {
        public Spec(int bindings, int perEntry, int certificates, String endpoint, boolean state, boolean world) {
            this(bindings, perEntry, certificates, endpoint, state, world, false);
        }
    }

    /** Days left of certificate k with {@code --spread}: cycling through these. */
    static final int[] LIFETIMES = {20, 400, 60, 5, 200, 90, 300, 45, 150, 25, 360, 120};

    private BenchWorkspace() {
    }

    /**
     * Usage: {@code BenchWorkspace DIR BINDINGS [--per-entry N] [--certificates K] [--endpoint URL|--free-port]
     * [--state] [--world] [--spread]}. With {@code --free-port}, a free loopback port is chosen, used in the endpoint and written
     * to {@code DIR/port}.
     */
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int bindings = Integer.parseInt(args[1]);
        int perEntry = 10;
        int certificates = 4;
        String endpoint = "http://127.0.0.1:9";
        boolean state = false;
        boolean world = false;
        boolean spread = false;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--per-entry" -> perEntry = Integer.parseInt(args[++i]);
                case "--certificates" -> certificates = Integer.parseInt(args[++i]);
                case "--endpoint" -> endpoint = args[++i];
                case "--free-port" -> {
                    int port;
                    try (ServerSocket socket = new ServerSocket(0)) {
                        port = socket.getLocalPort();
                    }
                    Files.createDirectories(dir);
                    Files.writeString(dir.resolve("port"), port + "\n");
                    endpoint = "http://127.0.0.1:" + port;
                }
                case "--state" -> state = true;
                case "--world" -> world = true;
                case "--spread" -> spread = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        write(dir, new Spec(bindings, perEntry, certificates, endpoint, state, world, spread));
    }

    /** Writes the workspace into {@code dir}; returns the manifest. */
    public static Path write(Path dir, Spec spec) throws IOException {
        Files.createDirectories(dir.resolve("certs"));
        TestCertificates.Authority issuing = TestCertificates.authority("Bench Root CA").intermediate("Bench Issuing CA");
        List<CertificateInfo> infos = new ArrayList<>();
        for (int k = 0; k < spec.certificates(); k++) {
            TestCertificates.Issued wildcard = issuing.issue(k % 2 == 0 ? TestCertificates.rsa(2048)
                            : TestCertificates.ec("secp256r1"), java.time.Instant.now().minusSeconds(86_400),
                    java.time.Instant.now().plusSeconds((spec.spread() ? LIFETIMES[k % LIFETIMES.length] : 365L) * 86_400
                            + 3_600), "*.z" + k + ".example.com");
            Files.writeString(dir.resolve("certs/wild" + k + ".crt"), wildcard.chainPem());
            Files.writeString(dir.resolve("certs/wild" + k + ".key"), wildcard.privateKeyPem());
            LoadedCertificate loaded = new CertificateLoader(Clock.systemUTC()).load(wildcard.chainPem(),
                    new Secret(wildcard.privateKeyPem(), "bench", SourceRange.ofFile("bench")), null,
                    new CertificatePolicy(30, 7));
            if (loaded.info() == null || !spec.spread() && !loaded.ok()) {
                throw new IllegalStateException("generated certificate " + k + " does not load: " + loaded.problems());
            }
            infos.add(loaded.info());
        }
        Path manifest = dir.resolve("certform.yaml");
        List<ResourceState> resources = new ArrayList<>();
        try (Writer out = Files.newBufferedWriter(manifest, StandardCharsets.UTF_8)) {
            out.write("# A generated wildcard rollout: " + spec.bindings() + " bindings, " + spec.perEntry()
                    + " per entry, " + spec.certificates() + " shared certificates.\nversion: 1\n"
                    + "provider: { endpoint: \"" + spec.endpoint() + "\", project_id: bench0project }\n"
                    + "defaults: { instance_id: inst1 }\ncertificates:\n");
            int entries = (spec.bindings() + spec.perEntry() - 1) / spec.perEntry();
            for (int e = 0; e < entries; e++) {
                int k = e % spec.certificates();
                String key = "site" + e;
                String name = "site_" + e;
                out.write("  " + key + ":\n    name: " + name + "\n    cert_content: ${file:certs/wild" + k + ".crt}\n"
                        + "    private_key: ${file:certs/wild" + k + ".key}\n    domains:\n");
                for (int i = e * spec.perEntry(); i < Math.min(spec.bindings(), (e + 1) * spec.perEntry()); i++) {
                    String domain = domain(i, k);
                    out.write("      - { group_id: " + group(i) + ", domain: " + domain + " }\n");
                    if (spec.state()) {
                        resources.add(recorded(key + "[" + domain + "]", key, name, i, domain, infos.get(k)));
                    }
                }
            }
        }
        if (spec.state()) {
            LocalStateStore store = new LocalStateStore(dir.resolve("certform.state.json"), "bench");
            try {
                store.write(store.read().next(resources, "bench"));
            } catch (io.certform.state.StateException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
        if (spec.world()) {
            writeWorld(dir.resolve("world.json"), spec);
        }
        return manifest;
    }

    static String group(int binding) {
        return "g" + binding / DOMAINS_PER_GROUP;
    }

    static String domain(int binding, int certificate) {
        return "d" + binding + ".z" + certificate + ".example.com";
    }

    /** The binding as an apply records it; every hundredth with an older certificate. */
    private static ResourceState recorded(String address, String key, String name, int i, String domain,
                                          CertificateInfo info) {
        boolean older = i % 100 == 99;
        String sslId = String.format("%032x", i + 1);
        return new ResourceState(address, key, "inst1", group(i), "dom" + i, domain, sslId, name, "global", null,
                info.algorithmType(), older ? "0".repeat(64) : info.sha256(),
                older ? "0".repeat(64) : info.chainSha256(), null, older ? "1" : info.serialNumber(),
                info.notAfter().toString(), info.issuer());
    }

    private static void writeWorld(Path file, Spec spec) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("{\"instances\":[{\"id\":\"inst1\",\"groups\":[\n");
            int groups = (spec.bindings() + DOMAINS_PER_GROUP - 1) / DOMAINS_PER_GROUP;
            for (int g = 0; g < groups; g++) {
                out.write((g == 0 ? "" : ",\n") + "{\"id\":\"g" + g + "\",\"domains\":[");
                for (int i = g * DOMAINS_PER_GROUP; i < Math.min(spec.bindings(), (g + 1) * DOMAINS_PER_GROUP); i++) {
                    int k = (i / spec.perEntry()) % spec.certificates();
                    out.write((i == g * DOMAINS_PER_GROUP ? "" : ",") + "{\"id\":\"dom" + i + "\",\"url_domain\":\""
                            + domain(i, k) + "\"}");
                }
                out.write("]}");
            }
            out.write("\n]}]}\n");
        }
    }
}
