package io.certform.bench.jmh;

import io.certform.base.Secret;
import io.certform.cert.CertificateInfo;
import io.certform.diag.SourceRange;
import io.certform.plan.CertificateMaterial;
import io.certform.plan.DesiredBinding;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A wildcard rollout as the whole-process benchmark generates it (bench/run.sh): N bindings in entries of 10,
 * over 4 shared certificates, five domains per API group. Here without real certificates: the pieces measured
 * in process (manifest parse, plan, state write, request build) do not read them.
 */
final class Rollout {
    static final int CERTIFICATES = 4;
    private static final Instant NOT_AFTER = Instant.parse("2027-11-28T00:00:00Z");

    private Rollout() {
    }

    /** A manifest of {@code bindings} bindings in {@code folder}, with placeholder files for its references. */
    static Path manifest(Path folder, int bindings) throws IOException {
        Files.createDirectories(folder.resolve("certs"));
        for (int k = 0; k < CERTIFICATES; k++) {
            Files.writeString(folder.resolve("certs/wild" + k + ".crt"), "-----BEGIN CERTIFICATE-----\n");
            Files.writeString(folder.resolve("certs/wild" + k + ".key"), "-----BEGIN PRIVATE KEY-----\n");
        }
        StringBuilder text = new StringBuilder("version: 1\nprovider: { endpoint: \"http://127.0.0.1:9\","
                + " project_id: bench0project }\ndefaults: { instance_id: inst1 }\ncertificates:\n");
        for (int entry = 0; entry * 10 < bindings; entry++) {
            int k = entry % CERTIFICATES;
            text.append("  site").append(entry).append(":\n    name: site_").append(entry)
                    .append("\n    cert_content: ${file:certs/wild").append(k).append(".crt}\n")
                    .append("    private_key: ${file:certs/wild").append(k).append(".key}\n    domains:\n");
            for (int i = entry * 10; i < Math.min(bindings, entry * 10 + 10); i++) {
                text.append("      - { group_id: g").append(i / 5).append(", domain: ").append(domain(i, k))
                        .append(" }\n");
            }
        }
        Path manifest = folder.resolve("certform.yaml");
        Files.writeString(manifest, text);
        return manifest;
    }

    private static String domain(int i, int k) {
        return "d" + i + ".z" + k + ".example.com";
    }

    private static CertificateInfo certificate(int k) {
        return new CertificateInfo(String.format("%064x", k + 1), String.format("%064x", k + 100), "5a0" + k,
                NOT_AFTER.minusSeconds(86400L * 365), NOT_AFTER, "RSA", "RSA 2048", "*.z" + k + ".example.com",
                List.of("*.z" + k + ".example.com"), "Bench Issuing CA", "SHA256WITHRSA");
    }

    /** The bindings the manifest declares, with their domains resolved. */
    static List<DesiredBinding> desired(int bindings) {
        List<DesiredBinding> out = new ArrayList<>(bindings);
        for (int i = 0; i < bindings; i++) {
            int entry = i / 10;
            int k = entry % CERTIFICATES;
            String key = "site" + entry;
            out.add(new DesiredBinding(key + "[" + domain(i, k) + "]", key,
                    new DesiredBinding.Domain("inst1", "g" + i / 5, "dom" + i, domain(i, k)),
                    new DesiredBinding.Upload("site_" + entry, "global", null, certificate(k), null,
                            new CertificateMaterial("-----BEGIN CERTIFICATE-----\n", new Secret("key", "file k",
                                    null), null)),
                    new SourceRange("certform.yaml", 10 + i, 9)));
        }
        return out;
    }

    /** A state that records every binding as an apply would; every hundredth with an older certificate. */
    static State state(List<DesiredBinding> desired, long serial) {
        List<ResourceState> resources = new ArrayList<>(desired.size());
        for (int i = 0; i < desired.size(); i++) {
            DesiredBinding d = desired.get(i);
            ResourceState r = d.recorded().bound(String.format("%032x", i + 1), d.sslName(), d.urlDomain());
            if (i % 100 == 0) {
                r = new ResourceState(r.address(), r.certificate(), r.instanceId(), r.groupId(), r.domainId(),
                        r.urlDomain(), r.sslId(), r.sslName(), r.type(), r.certificateInstanceId(), r.algorithmType(),
                        "0".repeat(64), r.chainSha256(), null, "1", r.notAfter(), r.issuer());
            }
            resources.add(r);
        }
        return new State(State.FORMAT_VERSION, "bench", "00000000-0000-4000-8000-000000000000", serial, resources);
    }
}
