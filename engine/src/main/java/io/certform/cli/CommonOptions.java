package io.certform.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command that reads a manifest takes. */
public final class CommonOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", defaultValue = "certform.yaml",
            description = "The manifest (default: ${DEFAULT-VALUE} in the current folder).")
    Path file;

    @Option(names = {"--state", "-state"}, paramLabel = "FILE",
            description = "The state file (default: the manifest's 'state', else certform.state.json beside it).")
    Path state;

    @Option(names = {"--no-color", "-no-color"}, description = "No ANSI colour in the output (also: the NO_COLOR variable).")
    boolean noColor;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "IAM token sent as X-Auth-Token (default: CERTFORM_AUTH_TOKEN, then AK/SK or IAM password"
                    + " credentials from the environment or ~/.huaweicloud/credentials; see docs/authentication.md).")
    String token;

    @Option(names = "--ca-bundle", paramLabel = "FILE",
            description = "PEM certificates to trust for TLS instead of the system's (a private CA). TLS is always verified.")
    Path caBundle;

    @Option(names = "--tls-handshake-timeout", paramLabel = "D", defaultValue = "10s",
            description = "Longest wait for each answer of an https:// endpoint during the TLS handshake"
                    + " (default: ${DEFAULT-VALUE}; at most the read timeout). One that does not answer, answers in"
                    + " plain text or hangs up does not speak TLS: the command stops at once, without retrying.")
    String tlsHandshakeTimeout;

    @Option(names = "--log-http",
            description = "Log every HTTP request and answer to standard error, secrets redacted (also: CERTFORM_LOG_HTTP=1).")
    boolean logHttp;

    /** {@code --tls-handshake-timeout}, or an error naming the option. */
    java.time.Duration tlsHandshakeTimeout() {
        try {
            java.time.Duration d = io.certform.base.Durations.parse(tlsHandshakeTimeout);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + tlsHandshakeTimeout + "' is zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, "--tls-handshake-timeout: " + e.getMessage());
        }
    }

    /** The manifest's name as the user typed it, for diagnostics. */
    String display() {
        return file.toString();
    }
}
