package io.certform.state;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.core.JacksonException;

/**
 * A state, or a lock, of the wrong shape (an array where an object belongs, a text where a list belongs) is refused
 * with what was expected and what was found, never read as an empty state or a part of one.
 */
class StateCodecShapeTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "[]                                                          | expected a state object, found an array",
            "''                                                          | expected a state object, found the end of the input",
            "{\"lineage\":\"L\",\"gateway\":\"g\"}                       | expected 'gateway' as an object, found a text",
            "{\"lineage\":\"L\",\"resources\":{}}                        | expected 'resources' as an array, found an object",
            "{\"lineage\":\"L\",\"resources\":[1]}                       | expected a resource object, found a number",
            "{\"lineage\":\"L\",\"resources\":[{\"address\":\"a\",\"san\":\"x\"}]} | expected 'san' as an array of texts, found a text",
            "{\"lineage\":\"L\",\"rollout\":[]}                          | expected 'rollout' as an object, found an array",
            "{\"lineage\":\"L\",\"rollout\":{\"bindings\":{}}}           | expected 'bindings' as an array, found an object",
            "{\"lineage\":\"L\",\"rollout\":{\"bindings\":[true]}}       | expected a rollout binding object, found a boolean",
    })
    void aStateOfTheWrongShape_isRefused_sayingWhatWasExpectedAndFound(String json, String message) {
        JacksonException e = assertThrows(JacksonException.class, () -> StateCodec.read(json));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void aLockOfTheWrongShape_isRefused() {
        JacksonException e = assertThrows(JacksonException.class, () -> LockCodec.readLock("[]"));
        assertTrue(e.getMessage().startsWith("expected a lock object, found an array"), e.getMessage());
    }
}
