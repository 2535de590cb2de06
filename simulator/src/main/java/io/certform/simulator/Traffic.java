package io.certform.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the simulator has received and done to it, counted as it happens: requests by method, calls by kind, faults
 * by kind, out-of-band rebinds, and the writes still pending. What {@code /_simulator/state} shows under
 * {@code counters}. Thread-safe.
 */
final class Traffic {

    private static final List<String> FAULT_KINDS = List.of("error", "throttle", "drop", "stall", "slow", "late",
            "lost", "auth");

    private final Map<String, LongAdder> requestsByMethod = new ConcurrentHashMap<>();
    /** Requests received per call kind ({@link Route.Kind#label}), faulted or not. */
    private final Map<String, LongAdder> callsByKind = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> faultCounts = new ConcurrentHashMap<>();
    private final LongAdder rebinds = new LongAdder();
    /** Slow writes being held, writes held by a test and late writes not yet landed. */
    final AtomicLong writesPending = new AtomicLong();

    /** A request received with {@code method} (IAM token calls as "IAM"). */
    void request(String method) {
        requestsByMethod.computeIfAbsent(method, m -> new LongAdder()).increment();
    }

    void call(Route.Kind kind) {
        callsByKind.computeIfAbsent(kind.label, k -> new LongAdder()).increment();
    }

    void fault(Faults.Kind kind) {
        fault(kind.name().toLowerCase(Locale.ROOT));
    }

    /** A fault of {@code kind} ("lost" for a write a test had lost) done to a call. */
    void fault(String kind) {
        faultCounts.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    void rebind() {
        rebinds.increment();
    }

    /** The gateway calls received with {@code method} (IAM token calls as "IAM"), faulted or not. */
    long requests(String method) {
        LongAdder count = requestsByMethod.get(method);
        return count == null ? 0 : count.sum();
    }

    /** The calls that met a fault of {@code kind} ("error", ..., "auth"). */
    long faults(String kind) {
        LongAdder count = faultCounts.get(kind);
        return count == null ? 0 : count.sum();
    }

    /** Forgets every count but the writes pending (they are still pending). */
    void reset() {
        requestsByMethod.clear();
        callsByKind.clear();
        faultCounts.clear();
        rebinds.reset();
    }

    /** Writes the counts into {@code counters}. */
    void write(ObjectNode counters) {
        counters.put("rebinds", rebinds.sum());
        counters.put("writes_pending", writesPending.get());
        ObjectNode requests = counters.putObject("requests");
        requestsByMethod.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> requests.put(e.getKey(), e.getValue().sum()));
        ObjectNode calls = counters.putObject("calls");
        for (Route.Kind kind : Route.Kind.values()) {
            LongAdder count = callsByKind.get(kind.label);
            calls.put(kind.label, count == null ? 0 : count.sum());
        }
        ObjectNode faults = counters.putObject("faults");
        for (String kind : FAULT_KINDS) {
            LongAdder count = faultCounts.get(kind);
            faults.put(kind, count == null ? 0 : count.sum());
        }
    }
}
