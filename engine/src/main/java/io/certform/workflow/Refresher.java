package io.certform.workflow;

import io.certform.base.SourceRange;
import io.certform.diag.Diagnostics;
import io.certform.plan.Drift;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the remote side of every recorded object through the {@link RemoteDirectory} (one group GET per API group,
 * certificate details only where needed) and judges each with the one identity rule. The result is the state as the
 * remote side has it, and the drift between the two. How one object is read and judged is its model's
 * ({@link DomainRefresh}, {@link SharedRefresh}); what a failed read, a read that may lag a write, and a certificate
 * found instead of certform's mean is decided here once. An object whose group cannot be read is an error and stays
 * as recorded: only "the group was read and the domain is not in it" means a domain is gone.
 */
final class Refresher {

    /**
     * @param state the state as the remote side has it; a binding whose domain or certificate is gone is still in
     *              it (with its drift), so that the plan shows its removal rather than the state losing it unseen
     */
    record Refreshed(State state, Map<String, Drift> drift) {

        /** The state to record after a refresh alone: bindings whose domain or certificate is gone are dropped. */
        State settled() {
            List<ResourceState> kept = state.resources().stream().filter(r -> {
                Drift d = drift.get(r.key());
                return d == null || d.kind() == Drift.Kind.CHANGED;
            }).toList();
            return state.withResources(kept);
        }
    }

    /** How the recorded object came to be, in the warning about a read that may lag it. */
    enum Lag {
        /** A certificate resource or an attachment certform made. */
        MADE("made", ""),
        /** A binding certform bound. */
        BOUND("bound", " since it was bound");

        private final String verb;
        private final String since;

        Lag(String verb, String since) {
            this.verb = verb;
            this.since = since;
        }
    }

    /**
     * What the refresh of one recorded object found.
     *
     * @param record the object as the refreshed state holds it
     * @param drift  how the remote side differs from the record, or null when it does not
     * @param lag    not null when the remote side does not show the object but the read may lag a write made
     *               within the settle window: a warning, not drift
     */
    record Judged(ResourceState record, Drift drift, Lag lag) {
        static Judged as(ResourceState record, Drift drift) {
            return new Judged(record, drift, null);
        }

        static Judged lagging(ResourceState record, Lag lag) {
            return new Judged(record, null, lag);
        }
    }

    private Refresher() {
    }

    /**
     * @param settleWindow a binding seen bound less than this before {@code now} may not show in a read yet (the
     *                     gateway's reads can lag its writes): not seeing it then is not drift
     */
    static Refreshed refresh(State prior, RemoteDirectory remote, String stateName, Diagnostics diagnostics,
                             Duration settleWindow, Instant now) throws InterruptedException {
        List<ResourceState> resources = new ArrayList<>();
        Map<String, Drift> drift = new LinkedHashMap<>();
        ReadFailures unread = new ReadFailures();
        for (ResourceState r : prior.resources()) {
            Judged judged;
            try {
                judged = r.shared() ? SharedRefresh.judge(r, remote, settleWindow, now)
                        : DomainRefresh.judge(r, remote, settleWindow, now);
            } catch (RemoteReadException e) {
                unread.add(r.address(), r.instanceId(), SourceRange.ofFile(stateName), "cannot refresh "
                        + r.address() + ": " + e.getMessage(), e);
                resources.add(r);
                continue;
            }
            if (judged.lag() != null) {
                diagnostics.warning(SourceRange.ofFile(stateName), r.address() + ": " + judged.lag().verb + " at "
                                + r.boundAt() + ", and the gateway does not show it yet",
                        "Its reads can lag its writes: this is not taken as drift until the settle window ("
                                + settleWindow.toSeconds() + "s) has passed" + judged.lag().since + ".");
            }
            resources.add(judged.record());
            if (judged.drift() != null) {
                drift.put(r.key(), judged.drift());
            }
        }
        unread.report(diagnostics, "refresh",
                "Or plan with --refresh=false to plan against the state as recorded.");
        State refreshed = prior.withResources(resources);
        return new Refreshed(refreshed, drift);
    }

    /**
     * The record of {@code r} with what the remote side holds instead of certform's certificate beside it: what
     * certform made, bound or adopted stays the record (its ssl_id is the only one it may ever remove); first seen
     * when the record says so already.
     */
    static ResourceState seeing(ResourceState r, ResourceState found, Instant now) {
        if (r.seen() != null && Objects.equals(r.seen().sslId(), found.sslId())) {
            return r.seeing(r.seen());
        }
        return r.seeing(new ResourceState.Seen(found.sslId(), found.sslName(), found.serialNumber(),
                found.notAfter(), now.truncatedTo(ChronoUnit.SECONDS).toString()));
    }
}
