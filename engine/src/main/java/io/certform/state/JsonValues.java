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
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;

/**
 * What the state's encodings ({@link StateCodec}, {@link ResourceCodec}, {@link JournalCodec}, {@link LockCodec})
 * share: the one {@link JsonFactory}, and reading values as leniently as databind did (a number or a boolean where a
 * text is expected is its text), with errors that say where and what was found.
 */
final class JsonValues {

    static final JsonFactory FACTORY = new JsonFactory();

    private JsonValues() {
    }

    /** A generator of compact UTF-8 JSON into {@code out}, for records that embed resources. */
    static JsonGenerator compact(OutputStream out) throws JacksonException {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /** A parser of one JSON text, for records that embed resources. */
    static JsonParser parser(String json) throws JacksonException {
        return FACTORY.createParser(ObjectReadContext.empty(), json);
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

    static List<String> texts(JsonParser p, JsonToken value, String name) throws JacksonException {
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

    static long number(JsonParser p, JsonToken value, String name) throws JacksonException {
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
    static int whole(JsonParser p, JsonToken value, String name) throws JacksonException {
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
    static StreamReadException unbuildable(JsonParser p, String what, RuntimeException e) {
        return new StreamReadException(p, "cannot make " + what + " of it (" + e.getClass().getSimpleName() + ")");
    }

    static void expect(JsonParser p, JsonToken wanted, String what) throws JacksonException {
        if (p.currentToken() != wanted) {
            throw new StreamReadException(p, "expected " + what + ", found " + describe(p.currentToken()));
        }
    }

    static String describe(JsonToken token) {
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
}
