package io.certform.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The fast reader's guarantee: for every input it accepts it builds exactly snakeyaml's tree, and an input snakeyaml
 * refuses is left to snakeyaml (so that its error message and position are reported as before).
 */
class PlainYamlSameTreeAsSnakeyamlTest {

    private static final int LIMIT = 64 * 1024 * 1024;

    private static LoadSettings settings() {
        return LoadSettings.builder().setLabel("certform.yaml").setMaxAliasesForCollections(50)
                .setAllowRecursiveKeys(false).setCodePointLimit(LIMIT).setUseMarks(true).build();
    }

    private static YamlNode fast(String text) {
        return PlainYaml.read(text, settings().getSchema().getScalarResolver(), LIMIT);
    }

    /**
     * snakeyaml forgets a possible simple key more than 1024 characters before its ':' (in flow context too), and
     * then refuses the ':'; the fast reader must leave such a key to it, as it does in block context.
     */
    @Test
    void aFlowMappingKeyLongerThanSnakeyamlsSimpleKeyLimit_isLeftToSnakeyaml() {
        String text = "a: {" + "k".repeat(1030) + ": v}\n";
        assertThrows(YamlEngineException.class, () -> YamlComposer.compose(text, settings()));
        assertNull(fast(text), "snakeyaml refuses this text: it must report it");
        String justUnder = "a: {" + "k".repeat(1000) + ": v}\n";
        assertEquals(PlainYamlTest.render(YamlComposer.compose(justUnder, settings()).orElseThrow()),
                PlainYamlTest.render(fast(justUnder)));
    }
}
