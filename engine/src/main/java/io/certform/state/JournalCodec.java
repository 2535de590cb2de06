package io.certform.state;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamReadException;

/**
 * The journal's line format: one JSON object per line,
 * {@code {"kind":"intent","op":"bind","address":...,"old_ssl_id":...,"at":...,"planned":{...}}},
 * {@code {"kind":"done","op":"bind","address":...,"resource":{...}}}, {@code {"kind":"void","address":...}}.
 * A line naming a deposed object carries its key, {@code "deposed": KEY}, beside the plain address. Lines written
 * before intents carried {@code at} (and with an unbind's binding under {@code unbound}), and lines of format 1
 * ({@link FormatOneAddress}), still read.
 */
public final class JournalCodec {

    static final String INTENT = "intent";
    static final String DONE = "done";
    static final String VOID = "void";

    private JournalCodec() {
    }

    /** The wire form of a record, as read: every property optional until the kind says which it needs. */
    private record Line(String kind, String op, String address, String deposed, String oldSslId, String at,
                        ResourceState planned, ResourceState unbound, ResourceState resource) {
    }

    /** A record as one line of UTF-8, newline included. */
    public static byte[] encode(JournalRecord record) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(1024);
        try (JsonGenerator g = JsonValues.compact(out)) {
            g.writeStartObject();
            if (record instanceof JournalRecord.Intent i) {
                g.writeStringProperty("kind", INTENT);
                g.writeStringProperty("op", i.op().wire());
                writeAddress(g, i);
                if (i.oldSslId() != null) {
                    g.writeStringProperty("old_ssl_id", i.oldSslId());
                }
                g.writeStringProperty("at", i.at().toString());
                if (i.planned() != null) {
                    g.writeName("planned");
                    ResourceCodec.writeResource(g, i.planned());
                }
            } else if (record instanceof JournalRecord.Done d) {
                g.writeStringProperty("kind", DONE);
                g.writeStringProperty("op", d.op().wire());
                writeAddress(g, d);
                if (d.resource() != null) {
                    g.writeName("resource");
                    ResourceCodec.writeResource(g, d.resource());
                }
            } else {
                g.writeStringProperty("kind", VOID);
                writeAddress(g, record);
            }
            g.writeEndObject();
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static void writeAddress(JsonGenerator g, JournalRecord record) throws JacksonException {
        g.writeStringProperty("address", record.address());
        if (record.deposedKey() != null) {
            g.writeStringProperty("deposed", record.deposedKey());
        }
    }

    /** Why a line cannot be read. */
    public static final class BadLine extends Exception {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads one line.
     *
     * @param writtenBy when an intent without {@code at} was written at the latest (the journal's modification time)
     */
    public static JournalRecord decode(String text, Instant writtenBy) throws BadLine {
        Line line;
        try {
            line = read(text);
        } catch (JacksonException e) {
            throw new BadLine(e.getOriginalMessage());
        }
        if (line == null || line.address() == null || line.kind() == null) {
            throw new BadLine("a record needs a kind and an address");
        }
        String address = FormatOneAddress.address(line.address());
        String deposed = FormatOneAddress.deposedKey(line.address(), line.deposed());
        if (VOID.equals(line.kind())) {
            return new JournalRecord.Voided(address, deposed);
        }
        JournalRecord.Op op = JournalRecord.Op.fromWire(line.op());
        if (op == null) {
            throw new BadLine("unknown op '" + line.op() + "' (written by a newer certform?)");
        }
        return switch (line.kind()) {
            case INTENT -> {
                ResourceState planned = line.planned() != null ? line.planned() : line.unbound();
                if (planned == null) {
                    throw new BadLine("an intent records its binding under 'planned'");
                }
                yield new JournalRecord.Intent(address, op, planned, line.oldSslId(), at(line.at(), writtenBy));
            }
            case DONE -> {
                if (!op.removes() && line.resource() == null) {
                    throw new BadLine("a done bind records its binding under 'resource'");
                }
                yield new JournalRecord.Done(address, deposed, op, line.resource());
            }
            default -> throw new BadLine("unknown kind '" + line.kind() + "' (written by a newer certform?)");
        };
    }

    /** One line's object; null for a JSON {@code null}. */
    private static Line read(String text) throws JacksonException {
        try (JsonParser p = JsonValues.parser(text)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.VALUE_NULL) {
                return null;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new StreamReadException(p, "a record is a JSON object");
            }
            String kind = null;
            String op = null;
            String address = null;
            String deposed = null;
            String oldSslId = null;
            String at = null;
            ResourceState planned = null;
            ResourceState unbound = null;
            ResourceState resource = null;
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                switch (name) {
                    case "kind" -> kind = JsonValues.text(p, value, name);
                    case "op" -> op = JsonValues.text(p, value, name);
                    case "address" -> address = JsonValues.text(p, value, name);
                    case "deposed" -> deposed = JsonValues.text(p, value, name);
                    case "old_ssl_id" -> oldSslId = JsonValues.text(p, value, name);
                    case "at" -> at = JsonValues.text(p, value, name);
                    case "planned" -> planned = ResourceCodec.readResource(p);
                    case "unbound" -> unbound = ResourceCodec.readResource(p);
                    case "resource" -> resource = ResourceCodec.readResource(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new StreamReadException(p, "trailing content after the record");
            }
            return new Line(kind, op, address, deposed, oldSslId, at, planned, unbound, resource);
        }
    }

    private static Instant at(String text, Instant writtenBy) throws BadLine {
        if (text == null) {
            return writtenBy;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new BadLine("'at' is not an ISO-8601 instant: " + text);
        }
    }
}
