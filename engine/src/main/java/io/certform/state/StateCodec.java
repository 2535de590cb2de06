package io.certform.state;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The JSON form of a {@link State} and of its {@link ResourceState}s, read and written token by token: the one
 * encoding of the state format. The state file, a PostgreSQL state version, the journal's records and the resources
 * of a saved plan ({@code workflow.SavedPlan} hands them here) all go through it. Jackson's databind would build
 * its deserializers by reflection over the records on every run (about a tenth of a second of a short command's
 * start-up) and copy every value through its buffers; this reads straight into the records.
 *
 * <p>The output is what databind wrote from the annotations these records carried before this was the only
 * encoding ({@code StateCodecTest} keeps them as test-only mix-ins and compares the two byte for byte). Reading is
 * as lenient as databind was: unknown properties are skipped, a number or a boolean where a text is expected is read
 * as its text, and a missing property is null.
 */
public final class StateCodec {

    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectWriteContext INDENTED = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new DefaultPrettyPrinter();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private StateCodec() {
    }

    // --- reading --------------------------------------------------------------------------------------------

    /** Reads a state from UTF-8 JSON; null for a JSON {@code null}. */
    public static State read(byte[] json) throws JacksonException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return readDocument(p);
        }
    }

    /** Reads a state from a stream of UTF-8 JSON as it arrives; null for a JSON {@code null}. */
    public static State read(java.io.InputStream json) throws JacksonException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return readDocument(p);
        }
    }

    /** Reads a state from JSON text; null for a JSON {@code null}. */
    public static State read(String json) throws JacksonException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            return readDocument(p);
        }
    }

    private static State readDocument(JsonParser p) throws JacksonException {
        JsonToken first = p.nextToken();
        if (first == JsonToken.VALUE_NULL) {
            return null;
        }
        State state = readState(p);
        if (p.nextToken() != null) {
            throw new StreamReadException(p, "trailing content after the state object");
        }
        return state;
    }

    /**
     * One copy of each repeated value while a state is read: the resources of a rollout repeat their certificate's
     * key, fingerprints, issuer, expiry, names and group, and 100,000 resources hold about a tenth of the strings
     * they would otherwise (the difference between a plan of 100,000 bindings fitting a 256 MiB heap or collecting
     * most of the time).
     */
    static final class Shared {
        private final java.util.HashMap<Object, Object> seen = new java.util.HashMap<>();

        String text(String value) {
            if (value == null) {
                return null;
            }
            Object first = seen.putIfAbsent(value, value);
            return first == null ? value : (String) first;
        }

        @SuppressWarnings("unchecked")
        List<String> texts(List<String> value) {
            if (value == null) {
                return null;
            }
            List<String> copy = List.copyOf(value);
            Object first = seen.putIfAbsent(copy, copy);
            return first == null ? copy : (List<String>) first;
        }
    }

    private static State readState(JsonParser p) throws JacksonException {
        expect(p, JsonToken.START_OBJECT, "a state object");
        int format = 0;
        String version = null;
        String lineage = null;
        long serial = 0;
        Gateway gateway = null;
        List<ResourceState> resources = null;
        RolloutProgress rollout = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "format_version" -> format = whole(p, value, name);
                case "certform_version" -> version = text(p, value, name);
                case "lineage" -> lineage = text(p, value, name);
                case "serial" -> serial = number(p, value, name);
                case "gateway" -> gateway = gateway(p, value);
                case "resources" -> resources = resources(p, value, new Shared());
                case "rollout" -> rollout = readRollout(p, value);
                default -> p.skipChildren();
            }
        }
        try {
            return new State(format, version, lineage, serial, gateway, resources, rollout);
        } catch (RuntimeException e) {
            throw unbuildable(p, "a state (a resource without an address?)", e);
        }
    }

    /** The {@code rollout} object (a rollout in progress), the parser on its value; null for {@code null}. */
    private static RolloutProgress readRollout(JsonParser p, JsonToken value) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "'rollout' as an object");
        int wave = 0;
        boolean checked = false;
        List<RolloutProgress.Entry> bindings = new ArrayList<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "wave" -> wave = whole(p, v, name);
                case "checked" -> checked = v == JsonToken.VALUE_TRUE;
                case "bindings" -> {
                    expect(p, JsonToken.START_ARRAY, "'bindings' as an array");
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        expect(p, JsonToken.START_OBJECT, "a rollout binding object");
                        String address = null;
                        int of = 0;
                        String action = null;
                        ResourceState replaced = null;
                        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                            String field = p.currentName();
                            JsonToken fv = p.nextToken();
                            switch (field) {
                                case "address" -> address = text(p, fv, field);
                                case "wave" -> of = whole(p, fv, field);
                                case "action" -> action = text(p, fv, field);
                                case "replaced" -> replaced = readResource(p);
                                default -> p.skipChildren();
                            }
                        }
                        try {
                            bindings.add(new RolloutProgress.Entry(address, of, action, replaced));
                        } catch (RuntimeException e) {
                            throw unbuildable(p, "a rollout binding (without its address or action?)", e);
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        return new RolloutProgress(wave, checked, bindings);
    }

    /** The state's {@code gateway} object ({@link Gateway}), or null (a state written before it was recorded). */
    private static Gateway gateway(JsonParser p, JsonToken value) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "'gateway' as an object");
        String service = null;
        String endpoint = null;
        String project = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken field = p.nextToken();
            switch (name) {
                case "service" -> service = text(p, field, name);
                case "endpoint" -> endpoint = text(p, field, name);
                case "project_id" -> project = text(p, field, name);
                default -> p.skipChildren();
            }
        }
        return new Gateway(service, endpoint, project);
    }

    private static List<ResourceState> resources(JsonParser p, JsonToken value, Shared shared)
            throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_ARRAY, "'resources' as an array");
        List<ResourceState> resources = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            resources.add(readResource(p, shared));
        }
        return resources;
    }

    /**
     * Reads one resource, the parser on its {@code START_OBJECT} (or on a {@code null}, read as null); leaves it on
     * the matching {@code END_OBJECT}.
     */
    public static ResourceState readResource(JsonParser p) throws JacksonException {
        return readResource(p, null);
    }

    /** As {@link #readResource(JsonParser)}, the repeated values taken from {@code shared} (when not null). */
    static ResourceState readResource(JsonParser p, Shared shared) throws JacksonException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "a resource object");
        String address = null;
        String certificate = null;
        String instanceId = null;
        String groupId = null;
        String domainId = null;
        String urlDomain = null;
        String sslId = null;
        String sslName = null;
        String type = null;
        String certificateInstanceId = null;
        String algorithmType = null;
        String certSha256 = null;
        String chainSha256 = null;
        String trustedRootCaSha256 = null;
        String serialNumber = null;
        String notAfter = null;
        String issuer = null;
        List<String> san = null;
        String publicKeySha256 = null;
        String boundAt = null;
        String model = null;
        String verifiedAt = null;
        ResourceState.Seen seen = null;
        String deposed = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            switch (name) {
                case "address" -> address = text(p, value, name);
                case "certificate" -> certificate = text(p, value, name);
                case "instance_id" -> instanceId = text(p, value, name);
                case "group_id" -> groupId = text(p, value, name);
                case "domain_id" -> domainId = text(p, value, name);
                case "url_domain" -> urlDomain = text(p, value, name);
                case "ssl_id" -> sslId = text(p, value, name);
                case "ssl_name" -> sslName = text(p, value, name);
                case "type" -> type = text(p, value, name);
                case "certificate_instance_id" -> certificateInstanceId = text(p, value, name);
                case "algorithm_type" -> algorithmType = text(p, value, name);
                case "cert_sha256" -> certSha256 = text(p, value, name);
                case "chain_sha256" -> chainSha256 = text(p, value, name);
                case "trusted_root_ca_sha256" -> trustedRootCaSha256 = text(p, value, name);
                case "serial_number" -> serialNumber = text(p, value, name);
                case "not_after" -> notAfter = text(p, value, name);
                case "issuer" -> issuer = text(p, value, name);
                case "san" -> san = texts(p, value, name);
                case "public_key_sha256" -> publicKeySha256 = text(p, value, name);
                case "bound_at" -> boundAt = text(p, value, name);
                case "model" -> model = text(p, value, name);
                case "verified_at" -> verifiedAt = text(p, value, name);
                case "seen" -> seen = readSeen(p, value);
                case "deposed" -> deposed = text(p, value, name);
                default -> p.skipChildren();
            }
        }
        if (shared != null) {
            certificate = shared.text(certificate);
            instanceId = shared.text(instanceId);
            groupId = shared.text(groupId);
            sslName = shared.text(sslName);
            type = shared.text(type);
            certificateInstanceId = shared.text(certificateInstanceId);
            algorithmType = shared.text(algorithmType);
            certSha256 = shared.text(certSha256);
            chainSha256 = shared.text(chainSha256);
            trustedRootCaSha256 = shared.text(trustedRootCaSha256);
            serialNumber = shared.text(serialNumber);
            notAfter = shared.text(notAfter);
            issuer = shared.text(issuer);
            publicKeySha256 = shared.text(publicKeySha256);
            boundAt = shared.text(boundAt);
            san = shared.texts(san);
            model = shared.text(model);
            verifiedAt = shared.text(verifiedAt);
        }
        deposed = FormatOneAddress.deposedKey(address, deposed); // format 1: ADDRESS#deposed-KEY
        return new ResourceState(FormatOneAddress.address(address), certificate, instanceId, groupId, domainId,
                urlDomain, sslId, sslName, type, certificateInstanceId, algorithmType, certSha256, chainSha256,
                trustedRootCaSha256, serialNumber, notAfter, issuer, publicKeySha256, boundAt, san, model, verifiedAt,
                seen, deposed);
    }

    /** What a refresh saw on a domain instead of certform's certificate: an object, or null. */
    private static ResourceState.Seen readSeen(JsonParser p, JsonToken value) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new StreamReadException(p, "'seen' must be an object, not " + describe(value));
        }
        String sslId = null;
        String sslName = null;
        String serialNumber = null;
        String notAfter = null;
        String seenAt = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "ssl_id" -> sslId = text(p, v, name);
                case "ssl_name" -> sslName = text(p, v, name);
                case "serial_number" -> serialNumber = text(p, v, name);
                case "not_after" -> notAfter = text(p, v, name);
                case "seen_at" -> seenAt = text(p, v, name);
                default -> p.skipChildren();
            }
        }
        return new ResourceState.Seen(sslId, sslName, serialNumber, notAfter, seenAt);
    }

    /** A scalar as text (numbers and booleans as their JSON text), null for {@code null}; refuses an object or array. */
    static String text(JsonParser p, JsonToken value, String name) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw new StreamReadException(p, "'" + name + "' must be a text, not " + describe(value));
        }
        return p.getString();
    }

    private static List<String> texts(JsonParser p, JsonToken value, String name) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_ARRAY, "'" + name + "' as an array of texts");
        List<String> texts = new ArrayList<>();
        JsonToken item;
        while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
            if (item == JsonToken.VALUE_NULL) { // the record's List.copyOf refuses it, as databind did
                throw new StreamReadException(p, "'" + name + "' holds a null");
            }
            texts.add(text(p, item, name));
        }
        return texts;
    }

    private static long number(JsonParser p, JsonToken value, String name) throws JacksonException {
        if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getLongValue(); // a float cut to a whole number, as databind did (ACCEPT_FLOAT_AS_INT)
        }
        if (value == JsonToken.VALUE_STRING) {
            try {
                return Long.parseLong(p.getString().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new StreamReadException(p, "'" + name + "' must be a whole number, not " + describe(value));
    }

    /** As {@link #number}, refusing what an int cannot hold (databind did; a cast would read 2^32+1 as 1). */
    private static int whole(JsonParser p, JsonToken value, String name) throws JacksonException {
        long number = number(p, value, name);
        if (number != (int) number) {
            throw new StreamReadException(p, "'" + name + "' is out of range");
        }
        return (int) number;
    }

    /**
     * The error for what a record's constructor refuses (a resource without an address beside another), as databind
     * gave it: a parse error with its location, not an exception out of the reader. The constructor's message is not
     * quoted.
     */
    private static StreamReadException unbuildable(JsonParser p, String what, RuntimeException e) {
        return new StreamReadException(p, "cannot make " + what + " of it (" + e.getClass().getSimpleName() + ")");
    }

    private static void expect(JsonParser p, JsonToken wanted, String what) throws JacksonException {
        if (p.currentToken() != wanted) {
            throw new StreamReadException(p, "expected " + what + ", found " + describe(p.currentToken()));
        }
    }

    private static String describe(JsonToken token) {
        if (token == null) {
            return "the end of the input";
        }
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.name();
        };
    }

    /** Reads a lock file's content; null for a JSON {@code null}. */
    public static StateLock readLock(String json) throws JacksonException {
        try (JsonParser p = FACTORY.createParser(ObjectReadContext.empty(), json)) {
            if (p.nextToken() == JsonToken.VALUE_NULL) {
                return null;
            }
            expect(p, JsonToken.START_OBJECT, "a lock object");
            String id = null;
            String operation = null;
            String who = null;
            long pid = 0;
            String created = null;
            String host = null;
            String expires = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "id" -> id = text(p, value, name);
                    case "operation" -> operation = text(p, value, name);
                    case "who" -> who = text(p, value, name);
                    case "pid" -> pid = value == JsonToken.VALUE_NULL ? 0 : number(p, value, name);
                    case "created" -> created = text(p, value, name);
                    case "host" -> host = text(p, value, name);
                    case "expires" -> expires = text(p, value, name);
                    default -> p.skipChildren();
                }
            }
            return new StateLock(id, operation, who, pid, created, host, expires);
        }
    }

    /** A lock file's content: compact JSON, the properties that are set. */
    public static byte[] lockBytes(StateLock lock) throws JacksonException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(256);
        try (JsonGenerator g = compact(out)) {
            g.writeStartObject();
            optional(g, "id", lock.id());
            optional(g, "operation", lock.operation());
            optional(g, "who", lock.who());
            g.writeNumberProperty("pid", lock.pid());
            optional(g, "created", lock.created());
            optional(g, "host", lock.host());
            optional(g, "expires", lock.expires());
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator g, String name, String value) throws JacksonException {
        if (value != null) {
            g.writeStringProperty(name, value);
        }
    }

    // --- writing --------------------------------------------------------------------------------------------

    /** Writes {@code state} as indented UTF-8 JSON (no final newline); leaves {@code out} open. */
    public static void writeIndented(OutputStream out, State state) throws JacksonException {
        try (JsonGenerator g = FACTORY.createGenerator(INDENTED, out)) {
            writeState(g, state);
        }
    }

    /** {@code state} as compact JSON text. */
    public static String toText(State state) throws JacksonException {
        java.io.StringWriter text = new java.io.StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(ObjectWriteContext.empty(), text)) {
            writeState(g, state);
        }
        return text.toString();
    }

    /** A generator of compact UTF-8 JSON into {@code out}, for records that embed resources. */
    static JsonGenerator compact(OutputStream out) throws JacksonException {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /** A parser of a JSON stream (the state file's header). */
    public static JsonParser parser(java.io.InputStream in) throws JacksonException {
        return FACTORY.createParser(ObjectReadContext.empty(), in);
    }

    /** A parser of one JSON text, for records that embed resources. */
    static JsonParser parser(String json) throws JacksonException {
        return FACTORY.createParser(ObjectReadContext.empty(), json);
    }

    private static void writeState(JsonGenerator g, State state) throws JacksonException {
        g.writeStartObject();
        g.writeNumberProperty("format_version", State.FORMAT_VERSION); // a state read in format 1 is upgraded
        g.writeStringProperty("certform_version", state.certformVersion());
        g.writeStringProperty("lineage", state.lineage());
        g.writeNumberProperty("serial", state.serial());
        if (state.gateway() != null) {
            g.writeName("gateway");
            g.writeStartObject();
            g.writeStringProperty("service", state.gateway().service());
            g.writeStringProperty("endpoint", state.gateway().endpoint());
            g.writeStringProperty("project_id", state.gateway().projectId());
            g.writeEndObject();
        }
        g.writeName("resources");
        g.writeStartArray();
        for (ResourceState r : state.resources()) {
            writeResource(g, r);
        }
        g.writeEndArray();
        if (state.rollout() != null) { // only while a rollout is in progress
            RolloutProgress rollout = state.rollout();
            g.writeName("rollout");
            g.writeStartObject();
            g.writeNumberProperty("wave", rollout.wave());
            g.writeBooleanProperty("checked", rollout.checked());
            g.writeName("bindings");
            g.writeStartArray();
            for (RolloutProgress.Entry e : rollout.bindings()) {
                g.writeStartObject();
                g.writeStringProperty("address", e.address());
                g.writeNumberProperty("wave", e.wave());
                g.writeStringProperty("action", e.action());
                g.writeName("replaced");
                writeResource(g, e.replaced());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /**
     * Writes one resource: every property, null or not, in this order, except {@code deposed}, {@code model},
     * {@code verified_at} and {@code seen}, written only when set (a per-domain binding records no model).
     */
    public static void writeResource(JsonGenerator g, ResourceState r) throws JacksonException {
        if (r == null) {
            g.writeNull();
            return;
        }
        g.writeStartObject();
        g.writeStringProperty("address", r.address());
        if (r.deposed()) {
            g.writeStringProperty("deposed", r.deposedKey());
        }
        g.writeStringProperty("certificate", r.certificate());
        g.writeStringProperty("instance_id", r.instanceId());
        g.writeStringProperty("group_id", r.groupId());
        g.writeStringProperty("domain_id", r.domainId());
        g.writeStringProperty("url_domain", r.urlDomain());
        g.writeStringProperty("ssl_id", r.sslId());
        g.writeStringProperty("ssl_name", r.sslName());
        g.writeStringProperty("type", r.type());
        g.writeStringProperty("certificate_instance_id", r.certificateInstanceId());
        g.writeStringProperty("algorithm_type", r.algorithmType());
        g.writeStringProperty("cert_sha256", r.certSha256());
        g.writeStringProperty("chain_sha256", r.chainSha256());
        g.writeStringProperty("trusted_root_ca_sha256", r.trustedRootCaSha256());
        g.writeStringProperty("serial_number", r.serialNumber());
        g.writeStringProperty("not_after", r.notAfter());
        g.writeStringProperty("issuer", r.issuer());
        g.writeName("san");
        if (r.san() == null) {
            g.writeNull();
        } else {
            g.writeStartArray();
            for (String name : r.san()) {
                g.writeString(name);
            }
            g.writeEndArray();
        }
        g.writeStringProperty("public_key_sha256", r.publicKeySha256());
        g.writeStringProperty("bound_at", r.boundAt());
        if (r.model() != null) {
            g.writeStringProperty("model", r.model());
        }
        if (r.verifiedAt() != null) {
            g.writeStringProperty("verified_at", r.verifiedAt());
        }
        if (r.seen() != null) {
            g.writeName("seen");
            g.writeStartObject();
            g.writeStringProperty("ssl_id", r.seen().sslId());
            g.writeStringProperty("ssl_name", r.seen().sslName());
            g.writeStringProperty("serial_number", r.seen().serialNumber());
            g.writeStringProperty("not_after", r.seen().notAfter());
            g.writeStringProperty("seen_at", r.seen().seenAt());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
