package io.certform.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerialNumbersTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource({
            "5a01, 5A01, true",
            "5a01, 005A01, true",
            "5a01, 5a:01, true",
            "5a01, 00:5A:01, true",
            "5a01, 23041, true",        // decimal
            "5a01, 0x5a01, true",
            "5a01, 5a02, false",
            "5a01, 23042, false",
            "5a01, '', false",
            "5a01, zz, false",
            "10, 16, true",             // '16' has only digits: also read as decimal
            "10, 10, true",
    })
    void same_comparesAsNumbers(String recorded, String answered, boolean same) {
        assertEquals(same, SerialNumbers.same(recorded, answered));
    }

    @ParameterizedTest
    @CsvSource({"00:5A:01, 5a01", "005A01, 5a01", "5a01, 5a01"})
    void canonical_isLowerHexWithoutLeadingZeros(String answered, String canonical) {
        assertEquals(canonical, SerialNumbers.canonical(answered));
    }
}
