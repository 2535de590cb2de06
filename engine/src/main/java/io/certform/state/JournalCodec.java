package io.certform.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The journal's line format: one JSON object per line,
 * {@code {"kind":"intent","op":"bind","address":...,"old_ssl_id":...,"at":...,"planned":{...}}},
 * {@code {"kind":"done","op":"bind","address":...,"resource":{...}}}, {@code {"kind":"void","address":...}}.
 * Lines written before intents carried {@code at} (and with an unbind's binding under {@code unbound}) still read.
 */
final class JournalCodec {

    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    static final String INTENT = "intent";
    static final String DONE = "done";
    static final String VOID = "void";

    private JournalCodec() {
    }

    /** The wire form of a record. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({"kind", "op", "address", "old_ssl_id", "at", "planned", "unbound", "resource"})
    record Line(@JsonProperty("kind") String kind,
                @JsonProperty("op") String op,
                @JsonProperty("address") String address,
                @JsonProperty("old_ssl_id") String oldSslId,
                @JsonProperty("at") String at,
                @JsonProperty("planned") ResourceState planned,
                @JsonProperty("unbound") ResourceState unbound,
                @JsonProperty("resource") ResourceState resource) {
    }

    /** A record as one line of UTF-8, newline included. */
    static byte[] encode(JournalRecord record) {
        Line line;
        if (record instanceof JournalRecord.Intent i) {
            line = new Line(INTENT, i.op().wire(), i.address(), i.oldSslId(), i.at().toString(), i.planned(), null,
                    null);
        } else if (record instanceof JournalRecord.Done d) {
            line = new Line(DONE, d.op().wire(), d.address(), null, null, null, null, d.resource());
        } else {
            line = new Line(VOID, null, record.address(), null, null, null, null, null);
        }
        byte[] json = JSON.writeValueAsBytes(line);
        byte[] withNewline = java.util.Arrays.copyOf(json, json.length + 1);
        withNewline[json.length] = '\n';
        return withNewline;
    }

    /** Why a line cannot be read. */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Reads one line.
     *
     * @param writtenBy when an intent without {@code at} was written at the latest (the journal's modification time)
     */
    static JournalRecord decode(String text, Instant writtenBy) throws BadLine {
        Line line;
        try {
            line = JSON.readValue(text, Line.class);
        } catch (JacksonException e) {
            throw new BadLine(e.getOriginalMessage());
        }
        if (line == null || line.address() == null || line.kind() == null) {
            throw new BadLine("a record needs a kind and an address");
        }
        if (VOID.equals(line.kind())) {
            return new JournalRecord.Voided(line.address());
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
                yield new JournalRecord.Intent(line.address(), op, planned, line.oldSslId(), at(line.at(), writtenBy));
            }
            case DONE -> {
                if (!op.removes() && line.resource() == null) {
                    throw new BadLine("a done bind records its binding under 'resource'");
                }
                yield new JournalRecord.Done(line.address(), op, line.resource());
            }
            default -> throw new BadLine("unknown kind '" + line.kind() + "' (written by a newer certform?)");
        };
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
