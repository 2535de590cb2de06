package io.certform.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.certform.api.CertificateDetail;
import io.certform.api.GroupDetail;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one identity rule: each attribute on its own decides that a certificate is not the expected one. */
class IdentityTest {

    private static final Identity.Expected EXPECTED = new Identity.Expected("shop_2026", "5a01",
            Instant.parse("2031-08-16T06:36:13Z"), "global", true);
    private static final GroupDetail.Domain DOMAIN = new GroupDetail.Domain("d", "api.example.com", "s", "shop_2026",
            true, List.of());

    private static CertificateDetail detail(String name, String serial, String notAfter, String type, Boolean ca) {
        return new CertificateDetail("s", name, type, "api.example.com", List.of(), null, notAfter, serial, "RSA",
                List.of("CA"), ca);
    }

    private static final CertificateDetail SAME = detail("shop_2026", "00:5A:01", "2031-08-16T06:36:13Z", "global", true);

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("identical (serial written differently)", (UnaryOperator<CertificateDetail>) d -> d, ""),
                Arguments.of("another name", (UnaryOperator<CertificateDetail>) d ->
                        detail("other_name", "5a01", "2031-08-16T06:36:13Z", "global", true), "name"),
                Arguments.of("another serial, same name", (UnaryOperator<CertificateDetail>) d ->
                        detail("shop_2026", "5a02", "2031-08-16T06:36:13Z", "global", true), "serial"),
                Arguments.of("another expiry", (UnaryOperator<CertificateDetail>) d ->
                        detail("shop_2026", "5a01", "2031-08-17T06:36:13Z", "global", true), "not_after"),
                Arguments.of("another type", (UnaryOperator<CertificateDetail>) d ->
                        detail("shop_2026", "5a01", "2031-08-16T06:36:13Z", "instance", true), "type"),
                Arguments.of("client CA off (bound again without trusted_root_ca)", (UnaryOperator<CertificateDetail>) d ->
                        detail("shop_2026", "5a01", "2031-08-16T06:36:13Z", "global", false), "client-certificate"),
                Arguments.of("no expiry answered", (UnaryOperator<CertificateDetail>) d ->
                        detail("shop_2026", "5a01", null, "global", true), "not_after"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void differences_nameWhatDiffers(String why, UnaryOperator<CertificateDetail> edit, String differs) {
        List<String> differences = Identity.differences(EXPECTED, edit.apply(SAME), DOMAIN);
        if (differs.isEmpty()) {
            assertTrue(differences.isEmpty(), differences.toString());
            assertTrue(Identity.matches(EXPECTED, SAME, DOMAIN));
        } else {
            assertEquals(1, differences.size(), differences.toString());
            assertTrue(differences.get(0).startsWith(differs), differences.toString());
        }
    }

    @ParameterizedTest(name = "client CA from the domain row when the certificate answer has none: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {true, false})
    void clientCa_fallsBackToTheDomainRow(boolean enabledOnDomain) {
        CertificateDetail noFlag = detail("shop_2026", "5a01", "2031-08-16T06:36:13Z", "global", null);
        GroupDetail.Domain domain = new GroupDetail.Domain("d", "api.example.com", "s", "shop_2026", enabledOnDomain,
                List.of());
        assertEquals(enabledOnDomain, Identity.matches(EXPECTED, noFlag, domain));
    }
}
