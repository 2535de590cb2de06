package io.certform.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DomainNamesTest {

    @ParameterizedTest(name = "{0} covers {1}: {2}")
    @CsvSource({
            "*.example.com,   a.example.com,     true",
            "*.example.com,   A.Example.COM,     true",
            "*.example.com,   example.com,       false",
            "*.example.com,   a.b.example.com,   false",
            "*.example.com,   *.example.com,     true",
            "*.example.com,   *.a.example.com,   false",
            "*.example.com,   aexample.com,      false",
            "api.example.com, api.example.com,   true",
            "api.example.com, www.example.com,   false",
            "example.com,     a.example.com,     false"})
    void wildcardRules(String name, String domain, boolean covered) {
        assertEquals(covered, DomainNames.covered(List.of(name), domain));
    }
}
