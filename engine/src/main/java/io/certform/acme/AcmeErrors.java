package io.certform.acme;

import io.certform.acme.AcmeIssueException.Kind;
import java.net.URI;
import java.time.Instant;
import javax.net.ssl.SSLException;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.exception.AcmeUnauthorizedException;
import org.shredzone.acme4j.exception.AcmeUserActionRequiredException;

/** acme4j's exceptions as named {@link AcmeIssueException}s: what the CA said, and what to do. */
final class AcmeErrors {

    private static final String ERROR = "urn:ietf:params:acme:error:";

    private AcmeErrors() {
    }

    /**
     * {@code e}, raised while the issuer did {@code doing} ("create the account", "order ...") at {@code directory},
     * as a named exception. {@code withEab}: whether an external account binding was sent (then a refusal of the
     * account names it).
     */
    static AcmeIssueException of(AcmeException e, String directory, String doing, boolean withEab) {
        String where = "ACME server " + directory + ": cannot " + doing + ": ";
        if (e instanceof AcmeRateLimitedException limited) {
            Instant retry = limited.getRetryAfter().orElse(null);
            return new AcmeIssueException(Kind.RATE_LIMITED, where + "rateLimited: " + detail(limited.getProblem())
                    + (retry == null ? "; try again later" : "; try again after " + retry) + documents(limited), e,
                    retry, null, null);
        }
        if (e instanceof AcmeUserActionRequiredException action) {
            return new AcmeIssueException(Kind.USER_ACTION_REQUIRED, where + "userActionRequired: "
                    + detail(action.getProblem()) + action.getTermsOfServiceUri().map(u -> "; terms: " + u).orElse("")
                    + ": a person must accept the CA's terms for this account (see " + action.getInstance() + ")", e);
        }
        if (e instanceof AcmeServerException server) {
            String type = type(server.getType());
            String detail = detail(server.getProblem());
            if (type.equals("externalAccountRequired")) {
                return new AcmeIssueException(Kind.EAB_REQUIRED, where + "externalAccountRequired: " + detail
                        + ": this CA needs an external account binding: set acme.eab (key_id and hmac_key) to the"
                        + " values the CA gave you", e);
            }
            if (withEab && doing.startsWith("create the account") && (type.equals("unauthorized")
                    || type.equals("malformed") || type.equals("badSignatureAlgorithm"))) {
                return new AcmeIssueException(Kind.EAB_INVALID, where + type + ": " + detail + ": the CA refused the"
                        + " external account binding: check acme.eab's key_id and hmac_key (the HMAC key as the CA"
                        + " gave it, base64url)", e);
            }
            if (e instanceof AcmeUnauthorizedException || type.equals("unauthorized")) {
                return new AcmeIssueException(Kind.UNAUTHORIZED, where + "unauthorized: " + detail
                        + ": check that this account may request these names", e);
            }
            return new AcmeIssueException(Kind.CA_ERROR, where + type + ": " + detail, e);
        }
        if (e instanceof AcmeNetworkException network) {
            Throwable cause = network.getCause();
            boolean tls = false;
            for (Throwable t = cause; t != null; t = t.getCause()) {
                tls |= t instanceof SSLException || t instanceof java.security.cert.CertificateException;
            }
            String why = cause == null ? network.getMessage() : cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
            return new AcmeIssueException(Kind.NETWORK, where + "the server could not be reached (" + why + ")"
                    + (tls ? ": its TLS certificate is not trusted: give the CA that signs it in acme.ca_bundle"
                    : ": check the directory URL and the network"), e);
        }
        return new AcmeIssueException(Kind.CA_ERROR, where + e.getMessage(), e);
    }

    /** The name of an ACME error type ({@code rateLimited} for {@code urn:ietf:params:acme:error:rateLimited}). */
    static String type(URI type) {
        String text = type == null ? "" : type.toString();
        return text.startsWith(ERROR) ? text.substring(ERROR.length()) : text;
    }

    /** A problem's detail (or title, or type). */
    static String detail(Problem problem) {
        if (problem == null) {
            return "no detail";
        }
        return problem.getDetail().or(problem::getTitle).orElse(type(problem.getType()));
    }

    private static String documents(AcmeRateLimitedException e) {
        return e.getDocuments().isEmpty() ? "" : " (see " + e.getDocuments().iterator().next() + ")";
    }
}
