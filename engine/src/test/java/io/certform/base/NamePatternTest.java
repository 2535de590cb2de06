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
}
