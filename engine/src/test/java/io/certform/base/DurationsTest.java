package io.certform.base;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parse_acceptsEachUnit() {
        assertEquals(Duration.ofMillis(20), Durations.parse("20ms"));
        assertEquals(Duration.ofSeconds(2), Durations.parse(" 2S "));
        assertEquals(Duration.ofMinutes(1), Durations.parse("1m"));
        assertEquals(Duration.ofHours(3), Durations.parse("3h"));
    }

    @Test
    void parse_badText_namesTheText() {
        assertEquals("'fast' is not a duration: write e.g. 20ms, 2s, 1m or 1h",
                assertThrows(IllegalArgumentException.class, () -> Durations.parse("fast")).getMessage());
    }

    @Test
    void parseRange_fixedOrRange() {
        assertArrayEquals(new Duration[] {Duration.ofMillis(10), Duration.ofMillis(80)}, Durations.parseRange("10ms..80ms"));
        assertArrayEquals(new Duration[] {Duration.ofSeconds(2), Duration.ofSeconds(2)}, Durations.parseRange("2s"));
    }
}
