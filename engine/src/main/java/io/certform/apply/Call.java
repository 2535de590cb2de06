package io.certform.apply;

import io.certform.api.GatewayClient;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One journaled remote call: what it intends (journalled just before it leaves), how it is sent (one attempt), how
 * its effect is looked for (the one place the identity rule is applied for its operation), and what it records once
 * it took effect. {@link CallProtocol} runs any call; {@link Recovery} judges an open intent through the same
 * {@link #look} ({@link Calls#of}). A new kind of call is one more class here and its look.
 *
 * @param <T> what the call answers, and what its look finds when the effect shows
 */
sealed interface Call<T> permits BindCall, UnbindCall, CreateCertificateCall, UpdateCertificateCall,
        DeleteCertificateCall, BatchCall {

    JournalRecord.Op op();

    /**
     * The intents of one attempt, written at {@code sent}, just before it leaves: closed together (done, voided) or
     * left open together.
     */
    List<JournalRecord.Intent> intents(Instant sent);

    /** One attempt: the answer, or the service's error. */
    T send(GatewayClient client);

    /**
     * The call's effect as the remote side shows it now, or null when it does not show (yet).
     *
     * @param fresh read again rather than use this run's copy
     */
    T look(RemoteDirectory remote, boolean fresh) throws InterruptedException, RemoteReadException;

    /** What is recorded once the call took effect with {@code result}. */
    List<JournalRecord.Done> recorded(T result, Instant now);

    /** The call in a message: "the creation of certificate wild". */
    String what();

    /**
     * A DELETE naming one object, or a PUT whose effect a look cannot see ({@link UpdateCertificateCall}): sending it
     * again cannot do anything else, so an attempt without a usable answer is sent again rather than looked for.
     */
    default boolean idempotent() {
        return false;
    }

    /**
     * A refusal its caller answers by sending the call again for part of it (a detach refused for a domain that is
     * gone): its intents are left to the caller to close.
     */
    default boolean retriedWithout(io.certform.api.ApiException refusal) {
        return false;
    }

    /** What the next run does with an open intent of this call, for messages. */
    default String nextRun() {
        return "The next run looks before doing anything else.";
    }

    /**
     * Judges an open intent of an earlier run from what {@link #look} finds now (recovery): the effect shows, does
     * not show (yet), or could not be looked for.
     *
     * @throws RemoteReadException the remote side answered that the place of the call does not exist, or refused the
     *                             credentials: looking again within the window gets the same answer
     */
    default IntentResolver.Resolution judge(IntentResolver.OpenCall open, RemoteDirectory remote, boolean fresh,
                                            Instant now, Duration settleWindow)
            throws InterruptedException, RemoteReadException {
        T found;
        try {
            found = look(remote, fresh);
        } catch (RemoteReadException e) {
            return IntentResolver.resolve(open, IntentResolver.Seen.ofEffect(open, null, null, settleWindow), now,
                    settleWindow);
        }
        List<JournalRecord.Done> done = found == null ? List.of() : recorded(found, now);
        return IntentResolver.resolve(open, IntentResolver.Seen.ofEffect(open, found != null,
                done.isEmpty() ? null : done.get(0).resource(), settleWindow), now, settleWindow);
    }
}
