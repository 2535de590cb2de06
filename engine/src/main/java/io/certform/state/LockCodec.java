package io.certform.state;

import static io.certform.state.JsonValues.FACTORY;
import static io.certform.state.JsonValues.compact;
import static io.certform.state.JsonValues.expect;
import static io.certform.state.JsonValues.number;
import static io.certform.state.JsonValues.text;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;

/** The lock file's content ({@link StateLock}): compact JSON of the properties that are set, read leniently. */
public final class LockCodec {

    private LockCodec() {
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
}
