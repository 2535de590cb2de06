package io.certform.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.api.CertificateDetail;
import io.certform.api.GroupDetail;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client-certificate difference is named as the user must read it: what the domain has, and what is declared. */
class IdentityClientCaTest {

    private static final Instant NOT_AFTER = Instant.parse("2031-08-16T06:36:13Z");

    private static Identity.Expected expected(boolean clientCa) {
        return new Identity.Expected("shop", "5a01", NOT_AFTER, "global", clientCa);
    }

    private static CertificateDetail found(Boolean clientCa) {
        return new CertificateDetail("s", "shop", "global", "api.example.com", List.of(), null, NOT_AFTER.toString(),
                "5a01", "RSA", List.of("CA"), clientCa);
    }

    @Test
    void checkOff_whereATrustedRootCaIsDeclared() {
        assertEquals(List.of("client-certificate check off (expected on: trusted_root_ca is declared)"),
                Identity.differences(expected(true), found(false), null));
    }

    @Test
    void checkOn_whereNoneIsDeclared() {
        assertEquals(List.of("client-certificate check on (expected off)"),
                Identity.differences(expected(false), found(true), null));
    }

    @Test
    void checkUnknown_whenNeitherTheCertificateNorTheDomainRowSays() {
        assertEquals(List.of("client-certificate check unknown (expected off)"),
                Identity.differences(expected(false), found(null), null));
        GroupDetail.Domain row = new GroupDetail.Domain("d", "api.example.com", "s", "shop", false, List.of());
        assertEquals(List.of(), Identity.differences(expected(false), found(null), row));
    }
}
