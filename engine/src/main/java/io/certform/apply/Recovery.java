package io.certform.apply;

import io.certform.base.Sleeper;

import io.certform.api.DomainLocation;
import io.certform.api.GatewayClient;
import io.certform.remote.DomainFacts;
import io.certform.remote.Identity;
import io.certform.remote.RemoteDirectory;
import io.certform.remote.RemoteReadException;
import io.certform.state.Journal;
import io.certform.state.JournalRecord;
import io.certform.state.ResourceState;
import io.certform.state.State;
import io.certform.state.StateException;
import io.certform.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /** What recovery did. */
    public record Outcome(int replayed, int adopted, int voided, int unbound) {
        public boolean any() {
            return replayed + adopted + voided + unbound > 0;
        }
    }

    private Recovery() {
    }

    /** Replays the journal without the network: done records only (for plan, which must not write). */
    public static State replayDone(State state, List<JournalRecord> records) {
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        state.resources().forEach(r -> resources.put(r.address(), r));
        for (JournalRecord r : records) {
            apply(r, resources);
        }
        return new State(state.formatVersion(), state.certformVersion(), state.lineage(), state.serial(),
                new ArrayList<>(resources.values()));
    }

    /** Intents in the journal that have no result yet. */
    public static List<JournalRecord> openIntents(List<JournalRecord> records) {
        Map<String, JournalRecord> open = new LinkedHashMap<>();
        for (JournalRecord r : records) {
            if (JournalRecord.INTENT.equals(r.kind())) {
                open.put(r.address(), r);
            } else {
                open.remove(r.address());
            }
        }
        return new ArrayList<>(open.values());
    }

    /**
     * @param records      the journal as read ({@link Journal#read}); the file is deleted once they are resolved
     * @param client       used only when some intent is open; may be null otherwise
     * @param settleWindow how long after it was sent a call may still take effect
     */
    public static Outcome recover(StateStore store, List<JournalRecord> records, GatewayClient client, Backoff backoff,
                                  Sleeper sleeper, Clock clock, Duration settleWindow, String version)
            throws StateException, InterruptedException {
        Path journalFile = store.journalFile();
        if (records.isEmpty()) {
            deleteQuietly(journalFile);
            return new Outcome(0, 0, 0, 0);
        }
        State state = store.read();
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        state.resources().forEach(r -> resources.put(r.address(), r));
        Map<String, JournalRecord> open = new LinkedHashMap<>();
        int replayed = 0;
        for (JournalRecord r : records) {
            if (JournalRecord.INTENT.equals(r.kind())) {
                open.put(r.address(), r);
            } else {
                open.remove(r.address());
                if (apply(r, resources)) {
                    replayed++;
                }
            }
        }
        List<IntentResolver.Resolution> resolutions = settle(open.values().stream().map(Recovery::call).toList(),
                client, backoff, sleeper, clock, settleWindow);
        int adopted = 0;
        int voided = 0;
        int unbound = 0;
        List<String> unsettled = new ArrayList<>();
        for (IntentResolver.Resolution resolution : resolutions) {
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
                case OPEN -> unsettled.add(address + " (" + resolution.why() + ")");
            }
        }
        if (!unsettled.isEmpty()) {
            throw new StateException("cannot settle " + unsettled.size() + " call(s) of an interrupted run: "
                    + String.join(", ", unsettled) + ". Nothing was sent and the journal is kept; run certform again"
                    + " when the gateway answers.");
        }
        store.write(state.next(new ArrayList<>(resources.values()), version));
        deleteQuietly(journalFile);
        return new Outcome(replayed, adopted, voided, unbound);
    }

    /**
     * Resolves every open call against the remote side, looking again (with growing pauses) at those not yet
     * settled, until each is settled or the settle window has passed for all of them.
     */
    static List<IntentResolver.Resolution> settle(List<IntentResolver.OpenCall> calls, GatewayClient client,
                                                  Backoff backoff, Sleeper sleeper, Clock clock, Duration settleWindow)
            throws InterruptedException {
        if (calls.isEmpty()) {
            return List.of();
        }
        RemoteDirectory remote = new RemoteDirectory(client, "the credentials in use", new RetriedReads(backoff,
                sleeper));
        Map<String, IntentResolver.Resolution> done = new LinkedHashMap<>();
        Duration pause = Duration.ofMillis(250);
        Duration waited = Duration.ZERO;
        boolean fresh = false;
        while (true) {
            for (IntentResolver.OpenCall call : calls) {
                if (done.containsKey(call.address())) {
                    continue;
                }
                DomainFacts seen;
                try {
                    DomainLocation at = new DomainLocation(call.planned().instanceId(), call.planned().groupId(),
                            call.planned().domainId());
                    seen = remote.inspect(at, Identity.Expected.of(call.planned()), call.bind() ? call.oldSslId()
                            : null, fresh);
                } catch (RemoteReadException e) {
                    seen = null;
                }
                IntentResolver.Resolution resolution = IntentResolver.resolve(call, seen, clock.instant(),
                        settleWindow);
                if (resolution.verdict() != IntentResolver.Verdict.OPEN || waited.compareTo(settleWindow) >= 0) {
                    done.put(call.address(), resolution);
                }
            }
            if (done.size() == calls.size()) {
                List<IntentResolver.Resolution> out = new ArrayList<>();
                calls.forEach(c -> out.add(done.get(c.address())));
                return out;
            }
            sleeper.sleep(pause);
            waited = waited.plus(pause);
            pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                    : pause.multipliedBy(2);
            fresh = true;
        }
    }

    private static IntentResolver.OpenCall call(JournalRecord intent) {
        boolean bind = JournalRecord.BIND.equals(intent.op());
        return new IntentResolver.OpenCall(intent.address(), bind, bind ? intent.planned() : intent.unbound(),
                intent.oldSslId(), null);
    }

    /** Applies a result record; true when it changed something. */
    private static boolean apply(JournalRecord r, Map<String, ResourceState> resources) {
        if (!JournalRecord.DONE.equals(r.kind())) {
            return false;
        }
        if (JournalRecord.BIND.equals(r.op())) {
            resources.put(r.address(), r.resource());
        } else {
            resources.remove(r.address());
        }
        return true;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException ignored) {
            // an empty journal left behind is harmless
        }
    }
}
