package io.certform.workflow;

import io.certform.acme.AcmeIssueException;
import io.certform.acme.AcmeIssuer;
import io.certform.acme.AcmeRequest;
import io.certform.acme.ChallengeRecord;
import io.certform.acme.IssueJournal;
import io.certform.acme.Issued;
import io.certform.acme.KeyType;
import io.certform.base.CrashPoint;
import io.certform.base.Environment;
import io.certform.diag.Diagnostics;
import io.certform.dns.Dns01Solver;
import io.certform.dns.DnsException;
import io.certform.dns.ExecSolver;
import io.certform.dns.HuaweiDnsSolver;
import io.certform.keystore.AcmeKeyStore;
import io.certform.keystore.IssuanceLog;
import io.certform.keystore.IssuedKeys;
import io.certform.keystore.KeystoreException;
import io.certform.manifest.AcmeSpec;
import io.certform.manifest.CertificateSpec;
import io.certform.manifest.Manifest;
import io.certform.provider.ProviderException;
import io.certform.provider.ProviderSession;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The first step of an apply whose manifest has entries issued by ACME: each entry never issued or due is ordered
 * (at most one order per entry per run), its key and chain stored in the key store (the one it replaces kept as
 * its previous certificate), and the workspace made again with the new material, so that the bindings are planned
 * and applied through the normal path. Every step of an order is journalled in the issuance journal
 * ({@link IssuanceLog}) before it is taken; an order a killed run left is resumed, never ordered again.
 *
 * <p>Crash points (tests): {@code acme-order-recorded}, {@code acme-challenge-presenting},
 * {@code acme-challenge-visible},
 * {@code acme-challenge-cleaned}, {@code acme-finalized}, {@code acme-key-stored}.
 */
final class AcmeIssuance {

    /** Issuance failed: what the diagnostics say; the certificates issued before it are stored. */
    static final class Failed extends Exception {
        final Diagnostics diagnostics;

        Failed(Diagnostics diagnostics) {
            super("ACME issuance failed");
            this.diagnostics = diagnostics;
        }
    }

    private AcmeIssuance() {
    }

    /**
     * Issues what is due, and returns the workspace with the new material (the same workspace when nothing was
     * due and no order was left open).
     *
     * @param session the run's provider session (its credentials answer {@code dns: huaweicloud})
     * @param note    tells the person what was issued
     */
    static Workspace run(Workspace workspace, ProviderSession session, Environment environment, Clock clock,
                         AcmeIssuer.Settings settings, Consumer<String> note) throws Failed {
        Manifest manifest = workspace.manifest();
        if (manifest.issued().isEmpty()) {
            return workspace;
        }
        Diagnostics problems = new Diagnostics();
        IssuedKeys keys;
        IssuanceLog log;
        try {
            keys = IssuedKeys.load(StateStores.keystore(manifest, null, environment), manifest.keystore().password());
            log = IssuanceLog.load(StateStores.issuanceLog(manifest, null, environment));
        } catch (KeystoreException | IllegalArgumentException e) {
            problems.error(manifest.keystore().range(), "the key store does not open: " + e.getMessage(),
                    "Nothing was ordered or sent.");
            throw new Failed(problems);
        }
        Map<String, AcmeMaterial.Held> held = AcmeMaterial.judge(manifest, keys, clock.instant());
        boolean changed = false;
        AcmeKeyStore acmeKeys = new AcmeKeyStore(keys);
        for (AcmeMaterial.Held h : held.values()) {
            String key = h.spec().key();
            boolean open = log.open(key);
            if (h.status() == AcmeMaterial.Status.CURRENT && open && log.resume(key).presented().isEmpty()) {
                close(log, key, problems, h.spec()); // stored, killed before the journal was closed
                continue;
            }
            if (h.status() == AcmeMaterial.Status.CURRENT && !open) {
                continue;
            }
            CertificateSpec spec = h.spec();
            try {
                AcmeRequest request = request(spec.acme());
                Dns01Solver solver = crashing(solver(spec, session, clock));
                Issued issued = new AcmeIssuer(acmeKeys.accounts(), acmeKeys.orders(), settings)
                        .issue(request, solver, crashing(log.journal(key)), log.resume(key));
                keys.renew(key, new io.certform.keystore.Issued(issued.keyPair().getPrivate(), issued.chain()));
                keys.removeOrderKey(issued.orderUrl());
                keys.save();
                CrashPoint.reach("acme-key-stored");
                log.close(key);
                changed = true;
                X509Certificate leaf = issued.leaf();
                note.accept("certificate '" + key + "' " + (h.current() == null ? "issued" : "renewed") + " by "
                        + spec.acme().directory() + ": serial " + leaf.getSerialNumber().toString(16)
                        + ", expires " + leaf.getNotAfter().toInstant() + ", order " + issued.orderUrl());
            } catch (AcmeIssueException e) {
                problems.error(spec.acme().range(), "certificate '" + key + "': ACME "
                                + (h.current() == null ? "issuance" : "renewal") + " failed (" + e.kind().code()
                                + "): " + e.getMessage(),
                        "Nothing of this certificate was bound; the next apply resumes its order when the CA still"
                                + " holds it. " + (h.current() == null ? "" : "The domains keep the current"
                                + " certificate, which expires " + h.current().leaf().getNotAfter().toInstant() + "."));
            } catch (DnsException | ProviderException | KeystoreException | IllegalArgumentException
                     | java.io.UncheckedIOException | IssuanceLog.RecordFailed e) {
                problems.error(spec.acme().range(), "certificate '" + key + "': ACME issuance stopped: "
                        + e.getMessage(), "Fix what the message names and run apply again: it resumes the"
                        + " recorded order and removes any challenge record left.");
            }
        }
        if (problems.hasErrors()) {
            throw new Failed(problems);
        }
        return changed ? workspace.reissued(AcmeMaterial.judge(manifest, keys, clock.instant()), clock) : workspace;
    }

    private static void close(IssuanceLog log, String key, Diagnostics problems, CertificateSpec spec) {
        try {
            log.close(key);
        } catch (KeystoreException e) {
            problems.error(spec.acme().range(), "certificate '" + key + "': the issuance journal could not be"
                    + " written: " + e.getMessage(), "Run apply again.");
        }
    }

    static AcmeRequest request(AcmeSpec acme) {
        AcmeRequest request = AcmeRequest.of(acme.directory(), KeyType.parse(acme.keyType().manifestName()),
                acme.names()).withContacts(acme.contacts()).withPreferredChain(acme.preferredChain());
        if (acme.eab() != null) {
            request = request.withEab(new AcmeRequest.Eab(acme.eab().keyId(), acme.eab().hmacKey()));
        }
        if (acme.caBundle() != null) {
            request = request.withTrust(certificates(acme.caBundle().text()));
        }
        return request;
    }

    private static List<X509Certificate> certificates(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("acme ca_bundle does not parse: " + e.getMessage(), e);
        }
    }

    private static Dns01Solver solver(CertificateSpec spec, ProviderSession session, Clock clock)
            throws ProviderException {
        AcmeSpec.Challenge c = spec.acme().challenge();
        Duration poll = Duration.ofSeconds(2);
        if (c.exec()) {
            ExecSolver present = new ExecSolver(c.present(), Duration.ofMinutes(2), c.resolvers(), poll);
            ExecSolver cleanup = c.cleanup().isEmpty() ? present
                    : new ExecSolver(c.cleanup(), Duration.ofMinutes(2), c.resolvers(), poll);
            return new Dns01Solver() { // exec: present's command creates the record, cleanup's removes it
                @Override
                public Challenge present(String domain, String value) {
                    return present.present(domain, value);
                }

                @Override
                public void awaitVisible(Challenge challenge, Duration limit) {
                    present.awaitVisible(challenge, limit);
                }

                @Override
                public List<String> nameServers(Challenge challenge) {
                    return present.nameServers(challenge);
                }

                @Override
                public void cleanup(Challenge challenge) {
                    cleanup.cleanup(challenge);
                }
            };
        }
        return new HuaweiDnsSolver(session.dns(c.endpoint()), c.resolvers(), poll);
    }

    /** The solver, with a crash point once a challenge record is visible (made, and not yet removed). */
    private static Dns01Solver crashing(Dns01Solver inner) {
        return new Dns01Solver() {
            @Override
            public Challenge present(String domain, String value) {
                return inner.present(domain, value);
            }

            @Override
            public void awaitVisible(Challenge challenge, Duration limit) {
                inner.awaitVisible(challenge, limit);
                CrashPoint.reach("acme-challenge-visible");
            }

            @Override
            public List<String> nameServers(Challenge challenge) {
                return inner.nameServers(challenge);
            }

            @Override
            public void cleanup(Challenge challenge) {
                inner.cleanup(challenge);
            }
        };
    }

    /** The journal, with a crash point after each record is durable. */
    private static IssueJournal crashing(IssueJournal inner) {
        return new IssueJournal() {
            @Override
            public void orderCreated(String orderUrl) {
                inner.orderCreated(orderUrl);
                CrashPoint.reach("acme-order-recorded");
            }

            @Override
            public void challengePresenting(ChallengeRecord record) {
                inner.challengePresenting(record);
                CrashPoint.reach("acme-challenge-presenting");
            }

            @Override
            public void challengeCleaned(ChallengeRecord record) {
                inner.challengeCleaned(record);
                CrashPoint.reach("acme-challenge-cleaned");
            }

            @Override
            public void finalized(String certificateUrl) {
                inner.finalized(certificateUrl);
                CrashPoint.reach("acme-finalized");
            }
        };
    }
}
