package io.certform.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.certform.base.Secret;
import io.certform.cert.CertificateInfo;
import io.certform.state.ResourceState;
import io.certform.state.State;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A certificate that expires before the one bound is a downgrade: the plan warns, whatever the serials say. */
class DowngradeTest {

    private static final String ADDRESS = "shop[api.example.com]";
    private static final Instant BOUND = Instant.parse("2031-08-16T06:36:13Z");

    static DesiredBinding desired(String serial, Instant notAfter) {
        CertificateInfo info = new CertificateInfo("sha-" + serial, "chain-" + serial, serial,
                notAfter.minusSeconds(86400 * 365), notAfter, "RSA", "RSA 2048", "api.example.com",
                List.of("api.example.com"), "Test CA", "SHA256WITHRSA");
        return new DesiredBinding(ADDRESS, "shop", new DesiredBinding.Domain("inst", "grp", "dom", "api.example.com"),
                new DesiredBinding.Upload("shop_api", "global", null, info, null,
                        new CertificateMaterial("pem", new Secret("key", "env K", null), null)), null);
    }

    static State bound() {
        return new State(State.FORMAT_VERSION, "test", "lineage-1", 7, List.of(new ResourceState(ADDRESS, "shop",
                "inst", "grp", "dom", "api.example.com", "ssl-1", "shop_api", "global", null, "RSA", "sha-5a02",
                "chain-5a02", null, "5a02", BOUND.toString(), "Test CA")));
    }

    @ParameterizedTest(name = "{0} {1} days -> {2}")
    @CsvSource({"5a01, -30, 1", "5a03, -1, 1", "5a03, 0, 0", "5a01, 30, 0", "5a03, 365, 0"})
    void earlierExpiryThanTheBoundCertificate_isADowngrade(String serial, long days, int downgrades) {
        Plan plan = Planner.plan(List.of(desired(serial, BOUND.plusSeconds(86400 * days))), bound());
        List<Downgrade> found = Downgrade.of(plan);
        assertEquals(downgrades, found.size(), plan.toString());
        if (downgrades == 1) {
            assertEquals(ADDRESS, found.get(0).address());
            assertEquals("5a02", found.get(0).serialBefore());
            assertEquals(serial, found.get(0).serialAfter());
        }
    }
}
