package io.certform.acme;

import io.certform.acme.AcmeIssueException.Kind;
import io.certform.dns.AuthoritativeCheck;
import io.certform.dns.Dns01Solver;
import io.certform.dns.DnsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Dns01Challenge;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * The dns-01 challenges of one order's pending authorizations: every record presented (each journalled before it
 * is created), then awaited on the name servers, then triggered, then the authorizations polled; every record
 * presented is removed again whatever happened (each journalled after it is removed).
 */
final class ChallengeRound {

    private final Dns01Solver solver;
    private final IssueJournal journal;
    private final Polling polling;
    private final Duration dnsLimit;
    private final String directory;

    ChallengeRound(Dns01Solver solver, IssueJournal journal, Polling polling, Duration dnsLimit, String directory) {
        this.solver = solver;
        this.journal = journal;
        this.polling = polling;
        this.dnsLimit = dnsLimit;
        this.directory = directory;
    }

    /** One authorization to solve: the challenge, its record, and the solver's handle once presented. */
    private static final class Pending {
        final Authorization authorization;
        final Dns01Challenge challenge;
        final ChallengeRecord record;
        Dns01Solver.Challenge presented;

        Pending(Authorization authorization, Dns01Challenge challenge, ChallengeRecord record) {
            this.authorization = authorization;
            this.challenge = challenge;
            this.record = record;
        }
    }

    /** Removes the records an earlier run presented and did not record as removed. */
    void cleanLeftovers(List<ChallengeRecord> records) {
        for (ChallengeRecord record : records) {
            try {
                solver.cleanup(new Dns01Solver.Challenge(record.domain(), record.record(), record.value(), null));
            } catch (DnsException e) {
                throw new AcmeIssueException(Kind.DNS, "cannot remove the challenge record " + record.record()
                        + " an interrupted run left: " + e.getMessage(), e);
            }
            journal.challengeCleaned(record);
        }
    }

    /** Solves every authorization of {@code authorizations} that is pending; returns once all are valid. */
    void solve(List<Authorization> authorizations) throws AcmeException {
        List<Pending> pending = new ArrayList<>();
        for (Authorization authorization : authorizations) {
            Status status = authorization.getStatus();
            if (status == Status.VALID) {
                continue;
            }
            String domain = (authorization.isWildcard() ? "*." : "") + authorization.getIdentifier().getDomain();
            if (status != Status.PENDING) {
                throw new AcmeIssueException(Kind.ORDER_FAILED, "ACME server " + directory + ": the authorization"
                        + " for " + domain + " is " + status.name().toLowerCase(java.util.Locale.ROOT)
                        + ": run again to order anew", null);
            }
            Dns01Challenge challenge = authorization.findChallenge(Dns01Challenge.class).orElseThrow(() ->
                    new AcmeIssueException(Kind.NO_DNS01, "ACME server " + directory + " offers no dns-01 challenge"
                            + " for " + domain + " (only " + authorization.getChallenges().stream()
                            .map(c -> c.getType()).toList() + "): certform solves dns-01 only", null));
            pending.add(new Pending(authorization, challenge,
                    new ChallengeRecord(domain, Dns01Solver.recordName(domain), challenge.getDigest())));
        }
        if (pending.isEmpty()) {
            return;
        }
        Throwable failure = null;
        List<Pending> presented = new ArrayList<>();
        try {
            for (Pending p : pending) {
                journal.challengePresenting(p.record);
                presented.add(p);
                p.presented = solver.present(p.record.domain(), p.record.value());
            }
            for (Pending p : pending) {
                solver.awaitVisible(p.presented, dnsLimit);
            }
            for (Pending p : pending) {
                if (p.challenge.getStatus() == Status.PENDING) {
                    p.challenge.trigger();
                }
            }
            List<String> failed = new ArrayList<>();
            AcmeIssueException first = null;
            for (Pending p : pending) {
                Status status = polling.until(p.authorization, Set.of(Status.VALID, Status.INVALID));
                if (status == Status.VALID) {
                    continue;
                }
                AcmeIssueException e = failed(p, status);
                failed.add(e.getMessage());
                first = first == null ? e : first;
            }
            if (first != null) {
                throw failed.size() == 1 ? first : new AcmeIssueException(Kind.CHALLENGE_FAILED,
                        String.join("\n", failed), null, null, first.record(), first.answered());
            }
        } catch (DnsException e) {
            AcmeIssueException named = new AcmeIssueException(Kind.DNS, "dns-01: " + e.getMessage(), e);
            failure = named;
            throw named;
        } catch (AcmeException e) {
            AcmeIssueException named = AcmeErrors.of(e, directory, "validate the dns-01 challenges", false);
            failure = named;
            throw named;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            cleanup(presented, failure);
        }
    }

    /** The named error of an authorization that did not become valid: what the CA said and the servers answer. */
    private AcmeIssueException failed(Pending p, Status status) throws AcmeException {
        String record = p.record.record();
        if (status == null) {
            return new AcmeIssueException(Kind.ORDER_FAILED, "ACME server " + directory + ": the authorization for "
                    + p.record.domain() + " was not decided within " + polling.limit().toSeconds() + " s: run again"
                    + " later (the order is resumed)", null);
        }
        p.challenge.fetch();
        String said = p.challenge.getError().map(AcmeErrors::detail).orElse("no detail");
        String answered;
        List<String> servers = solver.nameServers(p.presented);
        try {
            answered = servers.isEmpty() ? "not asked (no name server to ask: set resolvers: to check them)"
                    : new AuthoritativeCheck(servers, Duration.ofMillis(100), Duration.ofSeconds(5)).describe(record);
        } catch (DnsException e) {
            answered = "not asked (" + e.getMessage() + ")";
        }
        return new AcmeIssueException(Kind.CHALLENGE_FAILED, "ACME server " + directory + ": the dns-01 challenge"
                + " for " + p.record.domain() + " failed: the CA looked for the TXT record " + record + " with the"
                + " value \"" + p.record.value() + "\" and said: " + said + "; the name servers answer: " + answered
                + ": check that the record is published in the zone the CA asks (its authoritative name servers),"
                + " then run again", null, null, record, answered);
    }

    /** Removes every presented record; a failure is added to {@code failure}, or thrown when there is none. */
    private void cleanup(List<Pending> presented, Throwable failure) {
        RuntimeException firstCleanup = null;
        for (Pending p : presented) {
            try {
                solver.cleanup(p.presented != null ? p.presented : new Dns01Solver.Challenge(p.record.domain(),
                        p.record.record(), p.record.value(), null));
                journal.challengeCleaned(p.record);
            } catch (RuntimeException e) {
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (firstCleanup == null) {
                    firstCleanup = e;
                }
            }
        }
        if (firstCleanup instanceof DnsException dns) {
            throw new AcmeIssueException(Kind.DNS, "the certificate was validated, but a challenge record could not"
                    + " be removed: " + dns.getMessage() + ": the next run removes it", dns);
        }
        if (firstCleanup != null) {
            throw firstCleanup;
        }
    }
}
