package io.certform.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.api.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Only a 404 that names the certificate (APIG.3021, APIG.3025) says a certificate is gone; a 404 naming the group
 * or the instance, one without a code, or the same code on another status, says nothing about it.
 */
class CertificateGoneTest {

    @ParameterizedTest(name = "{0} {1} -> gone: {2}")
    @CsvSource(nullValues = "none", value = {
            "404, APIG.3021, true",
            "404, APIG.3025, true",
            "404, APIG.3001, false",
            "404, APIG.3030, false",
            "404, none, false",
            "400, APIG.3021, false",
            "500, APIG.3025, false",
    })
    void aCertificateIsGone_onlyWhenA404NamesIt(int status, String code, boolean gone) {
        assertEquals(gone, RemoteDirectory.isCertificateGone(new ApiException(status, code, "answer", "r")),
                "HTTP " + status + " " + code + " says the certificate is gone");
    }
}
