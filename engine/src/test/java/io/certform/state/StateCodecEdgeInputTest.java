package io.certform.state;

import io.certform.state.local.LocalStateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The inputs on which the streaming state codec once parted from databind (the reader before it) are read as
 * databind read them, or refused: floats where a whole number is expected, a format_version beyond an int, and
 * records whose construction fails.
 */
class StateCodecEdgeInputTest {

    private static final JsonMapper DATABIND = DatabindForm.annotate(JsonMapper.builder())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    @TempDir
    Path dir;

    /** Databind read a float as a whole number (ACCEPT_FLOAT_AS_INT, on by default): 1.5 is 1, 1e3 is 1000. */
    @Test
    void floatsForWholeNumbersAreReadAsDatabindReadThem() {
        for (String json : new String[] {"{\"lineage\":\"L\",\"serial\":1.5}", "{\"lineage\":\"L\",\"serial\":1e3}",
            "{\"lineage\":\"L\",\"format_version\":1.0,\"serial\":2.0}"}) {
            assertEquals(DATABIND.readValue(json, State.class), StateCodec.read(json), json);
        }
    }

    /** A format_version beyond an int was refused; the codec cut it to an int, 2^32+1 read as format 1. */
    @Test
    void aFormatVersionBeyondAnIntIsRefused() {
        for (String json : new String[] {"{\"lineage\":\"L\",\"format_version\":4294967297}",
            "{\"lineage\":\"L\",\"format_version\":\"4294967297\"}"}) {
            assertThrows(JacksonException.class, () -> DATABIND.readValue(json, State.class), json);
            assertThrows(JacksonException.class, () -> StateCodec.read(json), json);
        }
    }

    /**
     * A null in a san list, or a resource without an address beside another: databind refused them with a
     * JacksonException (the records' constructors throw); the codec let a NullPointerException out.
     */
    @Test
    void recordsThatCannotBeBuiltAreRefusedAsJacksonExceptions() {
        for (String json : new String[] {
            "{\"lineage\":\"L\",\"resources\":[{\"address\":\"b\",\"san\":[\"x\",null]}]}",
            "{\"lineage\":\"L\",\"resources\":[{\"address\":\"b\"},{}]}",
            "{\"lineage\":\"L\",\"resources\":[null,{\"address\":\"a\"}]}"}) {
            assertThrows(JacksonException.class, () -> DATABIND.readValue(json, State.class), json);
            JacksonException e = assertThrows(JacksonException.class, () -> StateCodec.read(json), json);
            assertTrue(e.getLocation() != null && e.getLocation().getLineNr() == 1, json);
        }
    }

    /** ... and so the state store says where, as a StateException, instead of crashing. */
    @Test
    void theStoreRefusesSuchAStateWithFileLineAndColumn() throws Exception {
        Path file = dir.resolve("certform.tfstate");
        Files.writeString(file, "{\"format_version\":1,\"lineage\":\"L\",\"serial\":1,\n"
                + "\"resources\":[{\"address\":\"b\",\"san\":[\"x\",null]}]}\n", StandardCharsets.UTF_8);
        StateException e = assertThrows(StateException.class, () -> new LocalStateStore(file, "test").read());
        assertTrue(e.getMessage().startsWith(file + ":2:"), e.getMessage());
    }

    /** A journal line databind could not read was a bad line (torn or garbage); it must not crash the read. */
    @Test
    void aJournalLineWithANullNameIsABadLine() {
        String line = "{\"kind\":\"done\",\"op\":\"bind\",\"address\":\"a\",\"resource\":{\"address\":\"a\","
                + "\"san\":[null]}}";
        assertThrows(JournalCodec.BadLine.class, () -> JournalCodec.decode(line, Instant.EPOCH));
    }
}
