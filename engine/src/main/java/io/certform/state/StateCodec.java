package io.certform.state;

import static io.certform.state.JsonValues.FACTORY;
import static io.certform.state.JsonValues.expect;
import static io.certform.state.JsonValues.number;
import static io.certform.state.JsonValues.text;
import static io.certform.state.JsonValues.unbuildable;
import static io.certform.state.JsonValues.whole;

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
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The JSON form of a {@link State}, read and written token by token: the one encoding of the state document (its
 * resources by {@link ResourceCodec}, which the journal's records and saved plans use too; the lock by
 * {@link LockCodec}). The state file and a PostgreSQL state version go through it. Jackson's databind would build
 * its deserializers by reflection over the records on every run (about a tenth of a second of a short command's
 * start-up) and copy every value through its buffers; this reads straight into the records.
 *
 * <p>The output is what databind wrote from the annotations these records carried before this was the only
 * encoding ({@code StateCodecTest} keeps them as test-only mix-ins and compares the two byte for byte). Reading is
 * as lenient as databind was: unknown properties are skipped, a number or a boolean where a text is expected is read
 * as its text, and a missing property is null.
 */
public final class StateCodec {

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

    private static State readState(JsonParser p) throws JacksonException {
        expect(p, JsonToken.START_OBJECT, "a state object");
        int format = 0;
        String version = null;
        String lineage = null;
        long serial = 0;
        Gateway gateway = null; // format 2: the default provider's
        java.util.Map<String, Gateway> gateways = null; // format 3
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
                case "gateways" -> gateways = gateways(p, value);
                case "resources" -> resources = resources(p, value, new ResourceCodec.Shared());
                case "rollout" -> rollout = readRollout(p, value);
                default -> p.skipChildren();
            }
        }
        try {
            if (gateway != null) { // format 2's single gateway is the default provider's
                gateways = gateways == null ? new java.util.TreeMap<>() : gateways;
                gateways.putIfAbsent(ResourceState.DEFAULT_PROVIDER, gateway);
            }
            return new State(format, version, lineage, serial, gateways, resources, rollout);
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
                                case "replaced" -> replaced = ResourceCodec.readResource(p);
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

    /** Format 3's {@code gateways} object: provider name to {@link Gateway}; null for {@code null}. */
    private static java.util.Map<String, Gateway> gateways(JsonParser p, JsonToken value) throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_OBJECT, "'gateways' as an object");
        java.util.Map<String, Gateway> gateways = new java.util.TreeMap<>();
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String provider = p.currentName();
            Gateway one = gateway(p, p.nextToken());
            if (one != null) {
                gateways.put(provider, one);
            }
        }
        return gateways;
    }

    private static List<ResourceState> resources(JsonParser p, JsonToken value, ResourceCodec.Shared shared)
            throws JacksonException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, JsonToken.START_ARRAY, "'resources' as an array");
        List<ResourceState> resources = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            resources.add(ResourceCodec.readResource(p, shared));
        }
        return resources;
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

    /** A parser of a JSON stream (the state file's header). */
    public static JsonParser parser(java.io.InputStream in) throws JacksonException {
        return FACTORY.createParser(ObjectReadContext.empty(), in);
    }

    private static void writeState(JsonGenerator g, State state) throws JacksonException {
        g.writeStartObject();
        g.writeNumberProperty("format_version", State.FORMAT_VERSION); // a state read in format 1 or 2 is upgraded
        g.writeStringProperty("certform_version", state.certformVersion());
        g.writeStringProperty("lineage", state.lineage());
        g.writeNumberProperty("serial", state.serial());
        if (!state.gateways().isEmpty()) { // format 3: one per provider, by name
            g.writeName("gateways");
            g.writeStartObject();
            for (java.util.Map.Entry<String, Gateway> e : state.gateways().entrySet()) {
                g.writeName(e.getKey());
                g.writeStartObject();
                g.writeStringProperty("service", e.getValue().service());
                g.writeStringProperty("endpoint", e.getValue().endpoint());
                g.writeStringProperty("project_id", e.getValue().projectId());
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        g.writeName("resources");
        g.writeStartArray();
        for (ResourceState r : state.resources()) {
            ResourceCodec.writeResource(g, r, true);
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
                ResourceCodec.writeResource(g, e.replaced(), true);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
