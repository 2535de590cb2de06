package io.certform.base;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamePatternTest {

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            "*.shop.example.com, api.shop.example.com, true",
            "*.shop.example.com, API.Shop.Example.com, true",
            "*.shop.example.com, a.b.shop.example.com, false",
            "*.shop.example.com, shop.example.com, false",
            "**.shop.example.com, a.b.shop.example.com, true",
            "**.shop.example.com, api.shop.example.com, true",
            "**.shop.example.com, shop.example.com, false",
            "api-*.example.com, api-eu.example.com, true",
            "api-*.example.com, api.example.com, false",
            "api-*.example.com, web-eu.example.com, false",
            "*.*.example.com, a.b.example.com, true",
            "*.*.example.com, a.example.com, false",
            "api.**.example.com, api.x.y.example.com, true",
            "*.shop.example.com, api.shopxexample.com, false",
    })
    void matches(String pattern, String domain, boolean expected) {
        assertEquals(expected, NamePattern.parse(pattern).pattern().matches(domain));
    }

    @ParameterizedTest
    @CsvSource({"api.example.com", "*", "*.example.*", "a***.example.com", "*..example.com", "a_b.*.example.com",
            "'  '"})
    void refuses(String pattern) {
        NamePattern.Result result = NamePattern.parse(pattern);
        assertNull(result.pattern(), pattern);
        assertNotNull(result.problem());
    }

    /**
     * Matching is linear in the name, whatever the pattern: a label of many '*' against a long label of many '-'
     * that fails at its end (a name from the gateway) does not backtrack through every way to split it.
     */
    @org.junit.jupiter.api.Test
    void manyStarsInOneLabel_againstANameThatFails_endsAtOnce() {
        NamePattern pattern = NamePattern.parse("*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*-*.example.com").pattern();
        String label = "a-".repeat(31) + "a";
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertEquals(false, pattern.matches(label + ".example.org"));
            assertEquals(true, pattern.matches(label + ".example.com"));
            assertEquals(false, NamePattern.parse("**.**.**.**.**.**.**.**.example.com").pattern()
                    .matches("a.".repeat(60) + "example.org"));
        });
    }

    @ParameterizedTest(name = "{0} ~ {1} -> {2}")
    @CsvSource({
            "a*b*c.example.com, abc.example.com, true",
            "a*b*c.example.com, axxbyyc.example.com, true",
            "a*b*c.example.com, axxbyy.example.com, false",
            "*-api.example.com, x-api.example.com, true",
            "*-api.example.com, -api.example.com, true",
            "**.*.example.com, a.example.com, false",
            "**.*.example.com, a.b.example.com, true",
            "api.**.**.com, api.a.b.com, true",
            "api.**.**.com, api.a.com, false",
            "*.example.com, a_b.example.com, false",
            "*.example.com, .example.com, false",
            "**.example.com, a..example.com, false",
    })
    void matchesMore(String pattern, String domain, boolean expected) {
        assertEquals(expected, NamePattern.parse(pattern).pattern().matches(domain));
    }
}
