package io.certform.cli.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict reader refuses what the format refuses, and label values round-trip through the view's escaping. */
class PrometheusTextTest {

    @Test
    void labelEscaping_roundTrips() {
        String value = "a\\b \"quoted\"\nnext";
        String text = "# TYPE m gauge\nm{l=\"" + PrometheusView.label(value) + "\"} 1\n";
        assertEquals(value, PrometheusText.parse(text).get("m").samples().get(0).labels().get("l"));
    }

    @Test
    void reader_refusesWhatTheFormatRefuses() {
        for (String bad : List.of(
                "m 1",                                  // no final line feed
                "m{l=\"a\"} 1 1700000000000\n",         // a timestamp
                "m{l=\"a\\t\"} 1\n",                   // an escape the format has not
                "m{l=\"a} 1\n",                         // unterminated
                "m{1l=\"a\"} 1\n",                      // a label name that cannot start with a digit
                "m 1\nn 1\nm{a=\"b\"} 2\n",             // a family that is not contiguous
                "m 1\nm 2\n",                           // a series twice
                "m 1\n# TYPE m gauge\n",                // TYPE after the samples
                "# TYPE m gauge\n# TYPE m counter\nm 1\n",
                "# TYPE m meter\nm 1\n",
                "m one\n",
                "m  1\n")) {
            assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(bad), bad);
        }
        Map<String, PrometheusText.Family> ok = PrometheusText.parse(
                "# HELP m It\\\\s.\n# TYPE m gauge\nm{a=\"x\",b=\"y\"} -1.5e3\nm{a=\"z\"} NaN\n");
        assertEquals(2, ok.get("m").samples().size());
        assertEquals("gauge", ok.get("m").type());
    }
}
