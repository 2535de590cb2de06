package io.certform.workflow;

import io.certform.base.Sleeper;
import io.certform.manifest.RolloutSpec;
import io.certform.plan.DesiredBinding;
import io.certform.state.ResourceState;
import io.certform.verify.ExpectedLeaf;
import io.certform.verify.ProbeSettings;
import io.certform.verify.TlsProbe;
import io.certform.verify.Verification;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TLS check of a wave: each domain is asked (its name as SNI, through {@code probe.resolve} when set) for the
 * chain it serves; the leaf must be the binding's certificate and the chain must verify to the trust anchors:
 * {@code probe.roots} when given, else the top certificate of the binding's own bundle.
 */
final class RolloutChecker {

    /**
     * One domain to check: where it is recorded, the certificate it should serve, and the binding whose bundle
     * gives the default trust anchors.
     */
    record Target(ResourceState recorded, ExpectedLeaf expected, DesiredBinding desired) {
        /** The binding's new certificate, as a wave checks it. */
        Target(ResourceState recorded, DesiredBinding desired) {
            this(recorded, new ExpectedLeaf(desired.certificate().sha256(), desired.certificate().serialNumber()),
                    desired);
        }
    }

    private final RolloutSpec rollout;
    private final Clock clock;
    private final Sleeper sleeper;
    private final int parallelism;

    RolloutChecker(RolloutSpec rollout, Clock clock, Sleeper sleeper, int parallelism) {
        this.rollout = rollout;
        this.clock = clock;
        this.sleeper = sleeper;
        this.parallelism = Math.max(1, parallelism);
    }

    /** The verifications, in the order of {@code targets}. */
    List<Verification> check(List<Target> targets) throws InterruptedException {
        RolloutSpec.Probe p = rollout.probe();
        ProbeSettings settings = new ProbeSettings(p.port(), p.resolve() == null ? null : p.resolve().toString(),
                p.timeout(), p.propagation());
        Map<String, List<Integer>> byRoots = new LinkedHashMap<>();
        Map<String, List<X509Certificate>> roots = new LinkedHashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            String pem = p.roots() != null ? p.roots().text() : top(targets.get(i).desired());
            roots.computeIfAbsent(pem, RolloutChecker::certificates);
            byRoots.computeIfAbsent(pem, k -> new ArrayList<>()).add(i);
        }
        Verification[] out = new Verification[targets.size()];
        for (Map.Entry<String, List<Integer>> group : byRoots.entrySet()) {
            TlsProbe probe = new TlsProbe(settings, roots.get(group.getKey()), clock, sleeper);
            List<TlsProbe.Target> asked = new ArrayList<>();
            for (int i : group.getValue()) {
                Target t = targets.get(i);
                String name = t.recorded().urlDomain() != null ? t.recorded().urlDomain() : t.desired().urlDomain();
                asked.add(new TlsProbe.Target(name, t.expected()));
            }
            List<Verification> found = probe.verifyAll(asked, parallelism);
            for (int j = 0; j < found.size(); j++) {
                out[group.getValue().get(j)] = found.get(j);
            }
        }
        return List.of(out);
    }

    /** The last certificate of the binding's bundle: its root, or the highest intermediate it carries. */
    private static String top(DesiredBinding desired) {
        if (desired.material() == null) {
            throw new IllegalStateException("no certificate material for " + desired.address());
        }
        List<X509Certificate> chain = certificates(desired.material().certContent());
        try {
            return new String(java.util.Base64.getMimeEncoder().encode(chain.get(chain.size() - 1).getEncoded()),
                    StandardCharsets.US_ASCII).transform(b64 -> "-----BEGIN CERTIFICATE-----\n" + b64
                    + "\n-----END CERTIFICATE-----\n");
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("the trust anchors are not PEM certificates: " + e.getMessage(), e);
        }
    }
}
