package io.certform.apply;

import io.certform.api.ApiException;

import io.certform.base.Sleeper;

import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;

/**
 * Finishes what a run that died left in the journal. Completed results are replayed into state; each intent
 * without a result is resolved against the remote side by {@link IntentResolver} (the one identity rule decides
 * whether a bind landed), never by sending the call again. A call sent less than the settle window ago may still
 * take effect, so it is looked at again until it shows or the window passes. Then the state is written and the
 * journal emptied.
 */
public final class Recovery {

    /**
     * What recovery did.
     *
     * @param open calls still unsettled (the remote side could not be read): kept in the journal for the next run
     */
    public record Outcome(int replayed, int adopted, int voided, int unbound, List<String> open) {
        public Outcome {
            open = List.copyOf(open);
        }

        public static Outcome none() {
            return new Outcome(0, 0, 0, 0, List.of());
        }

        public boolean any() {
            return replayed + adopted + voided + unbound > 0;
        }
    }

    private Recovery() {
    }

    /**
     * @param records      the journal as read ({@link StateStore#journal()}); it is emptied once they are resolved
     * @param client       used only when some intent is open; may be null otherwise
     * @param settleWindow how long after it was sent a call may still take effect
     */
    public static Outcome recover(StateStore store, List<JournalRecord> records, GatewayClient client, Backoff backoff,
                                  Sleeper sleeper, Clock clock, Duration settleWindow, String version)
            throws StateException, InterruptedException {
        return recover(store, records, client, backoff, sleeper, clock, settleWindow, version, note -> { });
    }

    /** @param notes hears what a person waiting should know (that recovery waits, and for how long at most) */
    public static Outcome recover(StateStore store, List<JournalRecord> records, GatewayClient client, Backoff backoff,
                                  Sleeper sleeper, Clock clock, Duration settleWindow, String version,
                                  java.util.function.Consumer<String> notes)
            throws StateException, InterruptedException {
        if (records.isEmpty()) {
            return Outcome.none();
        }
        State state = store.read();
        int replayed = (int) records.stream().filter(r -> r instanceof JournalRecord.Done).count();
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        JournalRecord.replay(state, records).resources().forEach(r -> resources.put(r.address(), r));
        List<JournalRecord.Intent> intents = JournalRecord.openIntents(records);
        List<IntentResolver.Resolution> resolutions = settle(intents.stream().map(Recovery::call).toList(),
                client, backoff, sleeper, clock, settleWindow, notes);
        int adopted = 0;
        int voided = 0;
        int unbound = 0;
        List<String> unsettled = new ArrayList<>();
        List<JournalRecord.Intent> stillOpen = new ArrayList<>();
        for (int i = 0; i < resolutions.size(); i++) {
            IntentResolver.Resolution resolution = resolutions.get(i);
            String address = resolution.call().address();
            switch (resolution.verdict()) {
                case ADOPTED -> {
                    resources.put(address, resolution.adopted());
                    adopted++;
                }
                case UNBOUND -> {
                    resources.remove(address);
                    unbound++;
                }
                case VOIDED -> voided++;
                case OPEN -> {
                    unsettled.add(address + " (" + resolution.why() + ")");
                    stillOpen.add(intents.get(i));
                }
            }
        }
        store.settle(state.next(new ArrayList<>(resources.values()), version), stillOpen);
        return new Outcome(replayed, adopted, voided, unbound, unsettled);
    }

    /**
     * Resolves every open call against the remote side, looking again (with growing pauses) at those not yet
     * settled, until each is settled or the settle window has passed for all of them.
     */
    static List<IntentResolver.Resolution> settle(List<IntentResolver.OpenCall> calls, GatewayClient client,
                                                  Backoff backoff, Sleeper sleeper, Clock clock, Duration settleWindow,
                                                  java.util.function.Consumer<String> notes)
            throws InterruptedException {
        if (calls.isEmpty()) {
            return List.of();
        }
        RetriedReads retried = new RetriedReads(backoff, sleeper);
        java.util.concurrent.atomic.AtomicReference<ApiException> unreachable =
                new java.util.concurrent.atomic.AtomicReference<>();
        RemoteDirectory remote = new RemoteDirectory(client, "the credentials in use", new RemoteDirectory.Reads() {
            @Override
            public <T> T read(java.util.function.Supplier<T> call) throws InterruptedException {
                try {
                    return retried.read(call);
                } catch (ApiException e) {
                    if (e.isUnreachable()) {
                        unreachable.compareAndSet(null, e);
                    }
                    throw e;
                }
            }
        });
        Map<String, IntentResolver.Resolution> done = new LinkedHashMap<>();
        Duration pause = Duration.ofMillis(250);
        Duration waited = Duration.ZERO;
        boolean fresh = false;
        while (true) {
            for (IntentResolver.OpenCall call : calls) {
                if (done.containsKey(call.address())) {
                    continue;
                }
                if (call.shared()) {
                    IntentResolver.Resolution resolution = SharedLook.resolve(call, remote, fresh, clock.instant(),
                            settleWindow);
                    if (resolution.verdict() != IntentResolver.Verdict.OPEN || waited.compareTo(settleWindow) >= 0
                            || unreachable.get() != null) {
                        done.put(call.address(), resolution);
                    }
                    continue;
                }
                DomainFacts seen;
                try {
                    DomainLocation at = new DomainLocation(call.planned().instanceId(), call.planned().groupId(),
                            call.planned().domainId());
                    seen = remote.inspect(at, Identity.Expected.of(call.planned()), call.bind() ? call.oldSslId()
                            : null, fresh);
                } catch (RemoteReadException e) {
                    if (e.kind() != RemoteReadException.Kind.FAILED) {
                        // the gateway answered that the group or instance does not exist, or refused the credentials:
                        // looking again within the window gets the same answer, and nothing is concluded from it
                        done.put(call.address(), new IntentResolver.Resolution(call, IntentResolver.Verdict.OPEN,
                                null, e.getMessage()));
                        continue;
                    }
                    seen = null;
                }
                IntentResolver.Resolution resolution = IntentResolver.resolve(call, seen, clock.instant(),
                        settleWindow);
                if (resolution.verdict() != IntentResolver.Verdict.OPEN || waited.compareTo(settleWindow) >= 0
                        || unreachable.get() != null) {
                    done.put(call.address(), resolution);
                }
            }
            if (unreachable.get() != null && done.size() < calls.size()) {
                // no look can succeed before the endpoint is fixed: waiting out the window would only delay the error
                for (IntentResolver.OpenCall call : calls) {
                    if (!done.containsKey(call.address())) {
                        done.put(call.address(), IntentResolver.resolve(call, null, clock.instant(), settleWindow));
                    }
                }
            }
            if (done.size() == calls.size()) {
                List<IntentResolver.Resolution> out = new ArrayList<>();
                calls.forEach(c -> out.add(done.get(c.address())));
                return out;
            }
            if (waited.isZero()) {
                notes.accept("Waiting up to " + settleWindow.toSeconds() + "s (--settle-window) for "
                        + (calls.size() - done.size()) + " call(s) of an interrupted run that may still take effect:"
                        + " they are looked at, never sent again.");
            }
            sleeper.sleep(pause);
            waited = waited.plus(pause);
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                    : pause.multipliedBy(2);
            fresh = true;
        }
    }

    private static IntentResolver.OpenCall call(JournalRecord.Intent intent) {
        return new IntentResolver.OpenCall(intent.address(), !intent.op().removes(), intent.planned(),
                intent.oldSslId(), intent.at(), intent.op());
    }
}
