package io.certform.apply;

import io.certform.api.ApiException;

import io.certform.base.Sleeper;

import io.certform.api.GatewayClient;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.time.Clock;
import java.time.Duration;

/**
 * Finishes what a run that died left in the journal. Completed results are replayed into state; each intent
 * without a result becomes its {@link Call}, whose look (the one place the identity rule is applied for that call)
 * tells whether it landed, and {@link IntentResolver} decides: never by sending the call again. A call sent less than the settle window ago may still
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
        return recover(store, records, provider -> client, backoff, sleeper, clock, settleWindow, version, notes);
    }

    /**
     * A fleet's recovery: each open call is resolved against its own provider's gateway ({@code clients} by the
     * provider name its address carries; asked only for the providers with open calls).
     */
    public static Outcome recover(StateStore store, List<JournalRecord> records,
                                  java.util.function.Function<String, GatewayClient> clients, Backoff backoff,
                                  Sleeper sleeper, Clock clock, Duration settleWindow, String version,
                                  java.util.function.Consumer<String> notes)
            throws StateException, InterruptedException {
        if (records.isEmpty()) {
            return Outcome.none();
        }
        State state = store.read();
        int replayed = (int) records.stream().filter(r -> r instanceof JournalRecord.Done).count();
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        JournalRecord.replay(state, records).resources().forEach(r -> resources.put(r.key(), r));
        List<JournalRecord.Intent> intents = JournalRecord.openIntents(records);
        List<IntentResolver.Resolution> resolutions = settleEach(intents, resources::get, clients, backoff, sleeper,
                clock, settleWindow, notes);
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

    /** {@link #settle} for each provider's open calls against its own client; the resolutions in the intents' order. */
    private static List<IntentResolver.Resolution> settleEach(List<JournalRecord.Intent> intents,
                                                              java.util.function.Function<String, ResourceState> recorded,
                                                              java.util.function.Function<String, GatewayClient> clients,
                                                              Backoff backoff, Sleeper sleeper, Clock clock,
                                                              Duration settleWindow,
                                                              java.util.function.Consumer<String> notes)
            throws InterruptedException {
        Map<String, List<Integer>> byProvider = new LinkedHashMap<>();
        for (int i = 0; i < intents.size(); i++) {
            byProvider.computeIfAbsent(ResourceState.providerOf(intents.get(i).key()), k -> new ArrayList<>()).add(i);
        }
        if (byProvider.size() <= 1) {
            GatewayClient client = intents.isEmpty() ? null : clients.apply(byProvider.keySet().iterator().next());
            return settle(intents, recorded, client, backoff, sleeper, clock, settleWindow, notes);
        }
        IntentResolver.Resolution[] all = new IntentResolver.Resolution[intents.size()];
        for (Map.Entry<String, List<Integer>> e : byProvider.entrySet()) {
            List<JournalRecord.Intent> mine = e.getValue().stream().map(intents::get).toList();
            List<IntentResolver.Resolution> settled = settle(mine, recorded, clients.apply(e.getKey()), backoff,
                    sleeper, clock, settleWindow, notes);
            for (int j = 0; j < settled.size(); j++) {
                all[e.getValue().get(j)] = settled.get(j);
            }
        }
        return List.of(all);
    }

    /**
     * Resolves every open call against the remote side: each becomes its {@link Call} ({@link Calls#of}) and is
     * judged through that call's own look, in the one settle loop ({@link CallProtocol#settle}), looking again with
     * growing pauses at those not settled yet, until each is settled or the settle window has passed for all.
     */
    static List<IntentResolver.Resolution> settle(List<JournalRecord.Intent> intents,
                                                  java.util.function.Function<String, ResourceState> recorded,
                                                  GatewayClient client,
                                                  Backoff backoff, Sleeper sleeper, Clock clock, Duration settleWindow,
                                                  java.util.function.Consumer<String> notes)
            throws InterruptedException {
        if (intents.isEmpty()) {
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
        List<IntentResolver.OpenCall> open = intents.stream().map(Recovery::call).toList();
        List<Call<?>> calls = intents.stream().<Call<?>>map(i -> Calls.of(i, recorded.apply(i.key()))).toList();
        Map<String, IntentResolver.Resolution> done = new LinkedHashMap<>();
        Map<String, IntentResolver.Resolution> latest = new HashMap<>();
        int[] passes = {0};
        CallProtocol.Look<Boolean> everySettled = () -> {
            boolean fresh = passes[0]++ > 0;
            for (int i = 0; i < calls.size(); i++) {
                IntentResolver.OpenCall call = open.get(i);
                if (done.containsKey(call.address())) {
                    continue;
                }
                IntentResolver.Resolution resolution;
                try {
                    resolution = calls.get(i).judge(call, remote, fresh, clock.instant(), settleWindow);
                } catch (RemoteReadException e) {
                    // the gateway answered that the group or instance does not exist, or refused the credentials:
                    // looking again within the window gets the same answer, and nothing is concluded from it
                    done.put(call.address(), new IntentResolver.Resolution(call, IntentResolver.Verdict.OPEN, null,
                            e.getMessage()));
                    continue;
                }
                if (resolution.verdict() != IntentResolver.Verdict.OPEN || unreachable.get() != null) {
                    done.put(call.address(), resolution);
                } else {
                    latest.put(call.address(), resolution);
                }
            }
            if (unreachable.get() != null) {
                // no look can succeed before the endpoint is fixed: waiting out the window would only delay the error
                for (IntentResolver.OpenCall call : open) {
                    done.putIfAbsent(call.address(), IntentResolver.resolve(call,
                            IntentResolver.Seen.onDomain(call, null, clock.instant(), settleWindow), clock.instant(),
                            settleWindow));
                }
            }
            if (done.size() == calls.size()) {
                return Boolean.TRUE;
            }
            if (passes[0] == 1 && !settleWindow.isZero()) {
                notes.accept("Waiting up to " + settleWindow.toSeconds() + "s (--settle-window) for "
                        + (calls.size() - done.size()) + " call(s) of an interrupted run that may still take effect:"
                        + " they are looked at, never sent again.");
            }
            return null;
        };
        try {
            CallProtocol.settle(clock, sleeper, settleWindow, everySettled, clock.instant(), (pause, e) -> { },
                    "the calls of an interrupted run", "");
        } catch (OutcomeUnknown cannot) {
            throw new IllegalStateException("recovery's look does not fail", cannot);
        }
        List<IntentResolver.Resolution> out = new ArrayList<>();
        open.forEach(c -> out.add(done.containsKey(c.address()) ? done.get(c.address()) : latest.get(c.address())));
        return out;
    }

    private static IntentResolver.OpenCall call(JournalRecord.Intent intent) {
        return new IntentResolver.OpenCall(intent.key(), !intent.op().removes(), intent.planned(),
                intent.oldSslId(), intent.at(), intent.op());
    }
}
