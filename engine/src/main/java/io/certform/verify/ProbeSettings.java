package io.certform.verify;

import java.time.Duration;

/**
 * Where and how long to probe: the manifest's {@code rollout.probe} block.
 *
 * @param port        the port to connect to on the domain itself (443 for a gateway)
 * @param resolve     null to connect to the domain's own name, else {@code host:port} (or {@code [v6]:port}, or a
 *                    bare host, then on {@code port}) to connect to for every domain, the name still sent as SNI:
 *                    like curl's {@code --resolve}, for when DNS does not point at the gateway
 * @param timeout     the limit for connecting, and for each read of the TLS handshake
 * @param propagation how long a domain may take to serve the new certificate: probes are retried, with growing
 *                    pauses, until it verifies or this window has passed (zero: one attempt)
 */
public record ProbeSettings(int port, String resolve, Duration timeout, Duration propagation) {

    // the defaults are the rollout block's, said once there
    public static final int DEFAULT_PORT = io.certform.manifest.RolloutSpec.Probe.DEFAULT_PORT;
    public static final Duration DEFAULT_TIMEOUT = io.certform.manifest.RolloutSpec.Probe.DEFAULT_TIMEOUT;
    public static final Duration DEFAULT_PROPAGATION = io.certform.manifest.RolloutSpec.Probe.DEFAULT_PROPAGATION;

    public ProbeSettings {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("probe port must be 1..65535, not " + port);
        }
        if (resolve != null && resolve.isBlank()) {
            resolve = null;
        }
        if (resolve != null) {
            parse(resolve.strip(), port); // fails early on a bad override
            resolve = resolve.strip();
        }
        if (timeout == null || timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("probe timeout must be positive, not " + timeout);
        }
        if (propagation == null || propagation.isNegative()) {
            throw new IllegalArgumentException("probe propagation must be zero or more, not " + propagation);
        }
    }

    /** Port 443, no override, 10 s timeout, 60 s propagation. */
    public static ProbeSettings defaults() {
        return new ProbeSettings(DEFAULT_PORT, null, DEFAULT_TIMEOUT, DEFAULT_PROPAGATION);
    }

    public ProbeSettings withResolve(String value) {
        return new ProbeSettings(port, value, timeout, propagation);
    }

    public ProbeSettings withPropagation(Duration value) {
        return new ProbeSettings(port, resolve, timeout, value);
    }

    /** The host to connect to when probing {@code domain}. */
    public String host(String domain) {
        return resolve == null ? domain : parse(resolve, port).host();
    }

    /** The port to connect to. */
    public int connectPort() {
        return resolve == null ? port : parse(resolve, port).port();
    }

    /** {@code host:port} as a user would write it, for messages. */
    public String address(String domain) {
        String host = host(domain);
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + connectPort();
    }

    private record HostPort(String host, int port) {
    }

    private static HostPort parse(String text, int defaultPort) {
        String host = text;
        String portText = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw bad(text);
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(text);
                }
                portText = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0) {
            if (text.indexOf(':') != text.lastIndexOf(':')) {
                throw bad(text); // an IPv6 address needs brackets
            }
            host = text.substring(0, text.indexOf(':'));
            portText = text.substring(text.indexOf(':') + 1);
        }
        if (host.isEmpty() || host.contains(" ")) {
            throw bad(text);
        }
        int port = defaultPort;
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw bad(text);
            }
            if (port < 1 || port > 65535) {
                throw bad(text);
            }
        }
        return new HostPort(host, port);
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("probe resolve \"" + text + "\" is not host:port (for example"
                + " 127.0.0.1:8443, or [::1]:8443 for IPv6)");
    }
}
