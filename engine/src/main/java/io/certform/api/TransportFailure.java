package io.certform.api;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Why a call got no answer, told apart by one rule for the gateway's calls and IAM's alike: the failures that a
 * retry would meet again (no such host, no connection, an untrusted certificate, a server that does not speak TLS)
 * from a handshake that failed otherwise (no request written) and from the rest. Each caller words its own message.
 */
enum TransportFailure {
    /** The host name does not resolve. */
    NO_SUCH_HOST,
    /** No connection could be made (refused, no route). */
    NO_CONNECTION,
    /** The server's certificate is not trusted: no path to a trusted root, or it does not name the host. */
    UNTRUSTED,
    /** The handshake met a server that does not speak TLS: silent, answering in plain text, or hanging up. */
    NOT_TLS,
    /** The handshake failed otherwise; no request is written before it. */
    HANDSHAKE,
    /** Anything else: the request may have been written. */
    OTHER;

    /**
     * @param handshake how far the call's TLS handshakes got: a server that does not speak TLS is named only when the
     *                  call failed in the handshake (a timeout after it is a slow answer)
     */
    static TransportFailure of(IOException e, TlsHandshakes.Progress handshake) {
        if (e instanceof UnknownHostException) {
            return NO_SUCH_HOST;
        }
        if (e instanceof ConnectException) {
            return NO_CONNECTION;
        }
        if (isUntrusted(e)) {
            return UNTRUSTED;
        }
        if (handshake.failedInHandshake() && TlsHandshakes.isNotTls(e)) {
            return NOT_TLS;
        }
        return e instanceof SSLHandshakeException ? HANDSHAKE : OTHER;
    }

    /**
     * A TLS handshake that failed because the server's certificate is not trusted (no path to a trusted root, or it
     * does not name the host): the same on every attempt.
     */
    static boolean isUntrusted(IOException e) {
        if (e instanceof SSLPeerUnverifiedException) {
            return true;
        }
        if (!(e instanceof SSLHandshakeException)) {
            return false;
        }
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException
                    || t instanceof java.security.cert.CertPathBuilderException) {
                return true;
            }
        }
        return false;
    }
}
