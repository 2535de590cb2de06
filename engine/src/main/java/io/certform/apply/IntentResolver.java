package io.certform.apply;

import io.certform.api.GroupDetail;
import io.certform.remote.DomainFacts;
import io.certform.state.ResourceState;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides what became of a call that a run sent and never heard back from, from what the remote side shows now.
 * A pure function: no I/O, no clock of its own. Only "the remote side shows the effect" or "the settle window has
 * passed since the call was sent and it still does not" settle a call; anything else leaves it open.
 */
public final class IntentResolver {

    private IntentResolver() {
    }

    /** What became of the call. */
    public enum Verdict {
        /** A bind whose certificate the domain now carries: recorded with the ssl_id found. */
        ADOPTED,
        /** An unbind whose certificate is no longer on the domain: the binding is removed from the state. */
        UNBOUND,
        /** The call did not take effect, and enough time has passed that it will not. */
        VOIDED,
        /** Not settled: the call may still take effect, or the remote side could not be read. Stays open. */
        OPEN
    }

    /**
     * An unfinished call, as its journal intent describes it.
     *
     * @param address  the object the intent names, by {@link io.certform.state.ResourceState#key} (a deposed one
     *                 apart from the live one at its address)
     * @param planned  for a bind, the binding as it will be recorded (less its ssl_id); for an unbind, the binding
     *                 being removed
     * @param oldSslId the certificate on the domain before the call
     * @param sentAt   when the intent was written (the call was sent at most moments later); null when unknown,
     *                 read as "long ago"
     */
    public record OpenCall(String address, boolean bind, ResourceState planned, String oldSslId, Instant sentAt,
                           io.certform.state.JournalRecord.Op op) {
        public OpenCall(String address, boolean bind, ResourceState planned, String oldSslId, Instant sentAt) {
            this(address, bind, planned, oldSslId, sentAt, bind ? io.certform.state.JournalRecord.Op.BIND
                    : io.certform.state.JournalRecord.Op.UNBIND);
        }

        /** A call of the certificate-management model (a certificate resource, or an attachment). */
        public boolean shared() {
            return op != io.certform.state.JournalRecord.Op.BIND && op != io.certform.state.JournalRecord.Op.UNBIND;
        }
    }

    /**
     * @param adopted the binding to record, for {@link Verdict#ADOPTED}
     * @param why     what was seen, for the user
     */
    public record Resolution(OpenCall call, Verdict verdict, ResourceState adopted, String why) {
    }

    /**
     * What a call's look found of its effect: the only part of a judgement that differs between the models. Each
     * carries the words the user reads.
     */
    public sealed interface Seen {
        /** The remote side could not be read: nothing is concluded. */
        record Unreadable(String why) implements Seen {
        }

        /** The effect shows; {@code adopted} is the object to record, for a call that records one. */
        record Shows(ResourceState adopted, String why) implements Seen {
        }

        /** The effect can never show (the domain is gone): voided at once. */
        record Impossible(String why) implements Seen {
        }

        /** The effect does not show (yet); {@code afterWindow} says so once the settle window has passed. */
        record NotShown(String afterWindow) implements Seen {
        }

        /**
         * A call of the per-domain model, from what the domain shows (judged against the call's planned
         * certificate, with the certificate it replaced not counted as the planned one); null when it could not be
         * read.
         */
        static Seen onDomain(OpenCall call, DomainFacts facts, Instant now, Duration settleWindow) {
            if (facts == null) {
                return new Unreadable("the domain could not be read");
            }
            if (call.op().removes()) {
                return carries(facts, call.oldSslId())
                        ? new NotShown("the certificate " + call.oldSslId() + " is still on the domain after the"
                        + " settle window")
                        : new Shows(null, "the certificate " + call.oldSslId() + " is no longer on the domain");
            }
            if (facts instanceof DomainFacts.Carries carries) {
                return new Shows(call.planned().bound(carries.sslId(), carries.detail().name(),
                        carries.domain().name()).boundAt(now),
                        "the domain carries the certificate (ssl_id " + carries.sslId() + ")");
            }
            if (facts instanceof DomainFacts.Gone) {
                return new Impossible("the domain is gone from its group");
            }
            return new NotShown("the certificate did not appear within the settle window ("
                    + settleWindow.toSeconds() + "s)");
        }

        /**
         * A call of the certificate-management model, from what its look found.
         *
         * @param shows   the effect shows (made, updated, attached; or gone, detached, deleted), null when the
         *                remote side could not be read
         * @param adopted for a call that records an object, the object as found (with its id)
         */
        static Seen ofEffect(OpenCall call, Boolean shows, ResourceState adopted, Duration settleWindow) {
            String what = call.op().wire() + " of " + call.address();
            if (shows == null) {
                return new Unreadable("the remote side could not be read");
            }
            return shows ? new Shows(adopted, "the " + what + " took effect")
                    : new NotShown("the " + what + " did not show within the settle window ("
                    + settleWindow.toSeconds() + "s)");
        }
    }

    /**
     * The one judgement of an open call, for every model: unread stays open; the effect showing settles it (the
     * object recorded, or removed for a call that removes); an effect that cannot show voids it; one that does not
     * show voids it once the settle window has passed since the call was sent, and leaves it open before.
     */
    public static Resolution resolve(OpenCall call, Seen seen, Instant now, Duration settleWindow) {
        boolean settled = call.sentAt() == null || !now.isBefore(call.sentAt().plus(settleWindow));
        if (seen instanceof Seen.Unreadable unread) {
            return new Resolution(call, Verdict.OPEN, null, unread.why());
        }
        if (seen instanceof Seen.Shows shows) {
            return call.op().removes() ? new Resolution(call, Verdict.UNBOUND, null, shows.why())
                    : new Resolution(call, Verdict.ADOPTED, shows.adopted(), shows.why());
        }
        if (seen instanceof Seen.Impossible impossible) {
            return new Resolution(call, Verdict.VOIDED, null, impossible.why());
        }
        return settled ? new Resolution(call, Verdict.VOIDED, null, ((Seen.NotShown) seen).afterWindow())
                : new Resolution(call, Verdict.OPEN, null, "sent less than the settle window ago: it may still take"
                + " effect");
    }

    /** Whether the domain {@code facts} describe carries the certificate {@code sslId}. */
    static boolean carries(DomainFacts facts, String sslId) {
        GroupDetail.Domain domain = domain(facts);
        return domain != null && domain.sslIds().contains(sslId);
    }

    private static GroupDetail.Domain domain(DomainFacts facts) {
        if (facts instanceof DomainFacts.Bare bare) {
            return bare.domain();
        }
        if (facts instanceof DomainFacts.Carries carries) {
            return carries.domain();
        }
        if (facts instanceof DomainFacts.CarriesOther other) {
            return other.domain();
        }
        return null;
    }
}
