package io.certform.acme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUnauthorizedException;
import org.shredzone.acme4j.toolbox.JSON;

/** The CA's errors as named exceptions (those pebble cannot be made to answer: a rate limit, a TLS refusal). */
class AcmeErrorsTest {

    private static final String DIR = "https://ca.example/dir";

    private static Problem problem(String type, String detail) throws Exception {
        return new Problem(JSON.parse("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\"" + detail
                + "\"}"), new URL(DIR));
    }

    @Test
    void rateLimited_carriesWhenToRetry() throws Exception {
        Instant retry = Instant.parse("2026-12-08T03:00:00Z");
        AcmeIssueException e = AcmeErrors.of(new AcmeRateLimitedException(problem("rateLimited",
                "too many certificates already issued"), retry, List.of(new URL("https://ca.example/docs/limits"))),
                DIR, "order a certificate for a.example.com", false);
        assertEquals(AcmeIssueException.Kind.RATE_LIMITED, e.kind());
        assertEquals("rateLimited", e.kind().code());
        assertEquals(retry, e.retryAfter());
        assertEquals("ACME server https://ca.example/dir: cannot order a certificate for a.example.com: rateLimited:"
                + " too many certificates already issued; try again after 2026-12-08T03:00:00Z (see"
                + " https://ca.example/docs/limits)", e.getMessage());
    }

    @Test
    void unauthorized_eabRequiredAndRefused_andOtherTypesByName() throws Exception {
        assertEquals(AcmeIssueException.Kind.UNAUTHORIZED, AcmeErrors.of(new AcmeUnauthorizedException(
                problem("unauthorized", "account deactivated")), DIR, "order x", false).kind());
        AcmeIssueException required = AcmeErrors.of(new AcmeServerException(problem("externalAccountRequired",
                "needs EAB")), DIR, "create the account", false);
        assertEquals(AcmeIssueException.Kind.EAB_REQUIRED, required.kind());
        assertTrue(required.getMessage().contains("set acme.eab"), required.getMessage());
        assertEquals(AcmeIssueException.Kind.EAB_INVALID, AcmeErrors.of(new AcmeServerException(problem(
                "unauthorized", "bad MAC")), DIR, "create the account", true).kind());
        AcmeIssueException other = AcmeErrors.of(new AcmeServerException(problem("rejectedIdentifier", "no .test")),
                DIR, "order x", false);
        assertEquals(AcmeIssueException.Kind.CA_ERROR, other.kind());
        assertTrue(other.getMessage().contains("rejectedIdentifier: no .test"), other.getMessage());
    }

    @Test
    void anUntrustedTlsCertificate_pointsAtCaBundle() {
        AcmeIssueException e = AcmeErrors.of(new AcmeNetworkException(new SSLHandshakeException(
                "PKIX path building failed")), DIR, "create the account", false);
        assertEquals(AcmeIssueException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().endsWith("its TLS certificate is not trusted: give the CA that signs it in"
                + " acme.ca_bundle"), e.getMessage());
        AcmeIssueException refused = AcmeErrors.of(new AcmeNetworkException(new IOException("Connection refused")),
                DIR, "create the account", false);
        assertTrue(refused.getMessage().endsWith("check the directory URL and the network"), refused.getMessage());
    }

    @Test
    void keyTypes_parseTheManifestsSpelling_andMakeKeysOfThatType() {
        assertEquals(KeyType.EC384, KeyType.parse("EC384"));
        assertEquals("EC P-256", KeyType.parse("ec256").label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyType.parse("ed25519"));
        assertEquals("'ed25519' is not a key type: expected one of rsa2048, rsa3072, rsa4096, ec256, ec384",
                e.getMessage());
        assertEquals("RSA", KeyType.RSA2048.generate().getPublic().getAlgorithm());
        assertEquals("EC", KeyType.EC256.generate().getPublic().getAlgorithm());
    }
}
