package io.certform.state;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the write-ahead journal: what a run is about to do to the remote side, and what came of it. A call's
 * intent is durable before the call is sent; its result follows when it is known. An intent without a result is a
 * call that may or may not have happened: the next run finds out from the remote side, never by sending it again.
 *
 * <p>Records carry bindings as recorded ({@link ResourceState}): names, ids and fingerprints, never a key or PEM.
 */
public sealed interface JournalRecord permits JournalRecord.Intent, JournalRecord.Done, JournalRecord.Voided {

    /** The binding's address, e.g. {@code shop[api.example.com]}. */
    String address();

    /** The deposed key of the object the record names, or null for the live object at {@link #address}. */
    String deposedKey();

    /** The object the record names, told from every other ({@link ResourceState#key}): what closes what. */
    default String key() {
        return ResourceState.key(address(), deposedKey());
    }

    /**
     * What a call does to the remote side: {@code "bind"} / {@code "unbind"} a domain's own certificate (the seed
     * call); {@code "create-certificate"} / {@code "update-certificate"} / {@code "delete-certificate"} a shared
     * certificate resource; {@code "attach"} / {@code "detach"} a domain to or from one.
     */
    enum Op {
        BIND("bind", false),
        UNBIND("unbind", true),
        CREATE_CERTIFICATE("create-certificate", false),
        UPDATE_CERTIFICATE("update-certificate", false),
        DELETE_CERTIFICATE("delete-certificate", true),
        ATTACH("attach", false),
        DETACH("detach", true);

        private final String wire;
        private final boolean removes;

        Op(String wire, boolean removes) {
            this.wire = wire;
            this.removes = removes;
        }

        /** Its result removes the object from the state (else it records the object). */
        public boolean removes() {
            return removes;
        }

        /** The name written in the journal. */
        public String wire() {
            return wire;
        }

        /** The op written as {@code wire}, or null when this certform does not know it. */
        static Op fromWire(String wire) {
            for (Op op : values()) {
                if (op.wire.equals(wire)) {
                    return op;
                }
            }
            return null;
        }
    }

    /**
     * A call about to be sent ({@code "kind": "intent"}).
     *
     * @param planned  BIND: the binding as it will be recorded, less the ssl_id the API will give; UNBIND: the
     *                 recorded binding being removed
     * @param oldSslId the certificate on the domain before the call (null for a new binding)
     * @param at       when the intent was written (wall clock): the next run tells by it whether the call may still
     *                 be in flight
     */
    record Intent(String address, Op op, ResourceState planned, String oldSslId, Instant at) implements JournalRecord {
        public Intent {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(op, "op");
            Objects.requireNonNull(planned, "planned");
            Objects.requireNonNull(at, "at");
        }

        /** The planned object's: an intent names the object it records or removes. */
        @Override
        public String deposedKey() {
            return planned.deposedKey();
        }

        /** Binding {@code planned} over {@code oldSslId} (null for a new binding). */
        public static Intent bind(ResourceState planned, String oldSslId, Instant at) {
            return new Intent(planned.address(), Op.BIND, planned, oldSslId, at);
        }

        /** Removing the recorded binding {@code recorded}. */
        public static Intent unbind(ResourceState recorded, Instant at) {
            return new Intent(recorded.address(), Op.UNBIND, recorded, recorded.sslId(), at);
        }

        /**
         * A call of the shared model: {@code planned} is the object as it will be recorded (a certificate resource
         * or an attachment, its {@code ssl_id} the certificate's id where known), or, for a removal, as recorded.
         *
         * @param oldSslId the certificate a create replaces (not to be taken for the new one), else null
         */
        public static Intent shared(Op op, ResourceState planned, String oldSslId, Instant at) {
            return new Intent(planned.address(), op, planned, oldSslId, at);
        }
    }

    /**
     * The call succeeded ({@code "kind": "done"}).
     *
     * @param deposedKey the removed object's deposed key (null: the live one); a recorded object's own
     * @param resource   the binding now recorded; null after an unbind
     */
    record Done(String address, String deposedKey, Op op, ResourceState resource) implements JournalRecord {
        public Done {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(op, "op");
            if (!op.removes() && resource == null) {
                throw new IllegalArgumentException("a done " + op.wire() + " records the object");
            }
            if (op.removes()) {
                resource = null;
            } else {
                deposedKey = resource.deposedKey();
            }
        }

        /** A result naming the live object at {@code address}. */
        public Done(String address, Op op, ResourceState resource) {
            this(address, null, op, resource);
        }

        public static Done bound(ResourceState resource) {
            return new Done(resource.address(), Op.BIND, resource);
        }

        /** The live binding at {@code address} is removed. */
        public static Done unbound(String address) {
            return new Done(address, Op.UNBIND, null);
        }

        /** The recorded object {@code removed} (live or deposed) is removed. */
        public static Done unbound(ResourceState removed) {
            return new Done(removed.address(), removed.deposedKey(), Op.UNBIND, null);
        }

        /** A call of the shared model on {@code object} succeeded: {@code resource} is recorded (null: removed). */
        public static Done shared(Op op, ResourceState object, ResourceState resource) {
            return new Done(object.address(), object.deposedKey(), op, resource);
        }
    }

    /**
     * The call is known not to have happened ({@code "kind": "void"}): refused, or checked not to have landed.
     *
     * @param deposedKey the deposed key of the object its intent named (null: the live one)
     */
    record Voided(String address, String deposedKey) implements JournalRecord {
        public Voided {
            Objects.requireNonNull(address, "address");
        }

        /** The call on the live object at {@code address} did not happen. */
        public Voided(String address) {
            this(address, null);
        }

        /** The call {@code intent} announced did not happen. */
        public static Voided of(Intent intent) {
            return new Voided(intent.address(), intent.deposedKey());
        }
    }

    /** The intents of {@code records} that have no result after them, oldest first. */
    static List<Intent> openIntents(List<JournalRecord> records) {
        Map<String, Intent> open = new LinkedHashMap<>();
        for (JournalRecord record : records) {
            if (record instanceof Intent intent) {
                open.remove(intent.key());
                open.put(intent.key(), intent);
            } else {
                open.remove(record.key());
            }
        }
        return new ArrayList<>(open.values());
    }

    /** {@code state} with the results of {@code records} applied (intents and voids change nothing). */
    static State replay(State state, List<JournalRecord> records) {
        Map<String, ResourceState> resources = new LinkedHashMap<>();
        state.resources().forEach(r -> resources.put(r.key(), r));
        for (JournalRecord record : records) {
            if (record instanceof Done done) {
                if (done.resource() != null) {
                    resources.put(done.key(), done.resource());
                } else {
                    resources.remove(done.key());
                }
            }
        }
        return state.withResources(new ArrayList<>(resources.values()));
    }
}
