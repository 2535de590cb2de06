package io.certform.cli;

import io.certform.base.Durations;
import io.certform.api.GatewayClient;
import io.certform.apply.Applier;
import io.certform.apply.Backoff;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How calls are made: parallelism, retries, rate, timeouts. */
public final class ApplySettings {
    @Option(names = {"--parallelism", "-parallelism"}, paramLabel = "N", defaultValue = "10",
            description = "How many API calls may run at once (default: ${DEFAULT-VALUE}); lowered while throttled.")
    int parallelism;

    @Option(names = "--max-retries", paramLabel = "N", defaultValue = "7",
            description = "Retries of a failed call: no answer, 429, 5xx (default: ${DEFAULT-VALUE}; 0 to never retry).")
    int maxRetries;

    @Option(names = "--rate", paramLabel = "N/s", description = "At most N calls per second, e.g. 20/s.")
    String rate;

    @Option(names = "--connect-timeout", paramLabel = "D", defaultValue = "10s",
            description = "Per call: time to connect (default: ${DEFAULT-VALUE}).")
    String connectTimeout;

    @Option(names = "--read-timeout", paramLabel = "D", defaultValue = "30s",
            description = "Per call: longest wait for the answer's next bytes (default: ${DEFAULT-VALUE}).")
    String readTimeout;

    @Option(names = "--call-timeout", paramLabel = "D", defaultValue = "60s",
            description = "Per call: longest time for the whole call (default: ${DEFAULT-VALUE}).")
    String callTimeout;

    @Option(names = "--settle-window", paramLabel = "D",
            description = "After a write whose answer never came, how long to look for its effect before leaving it"
                    + " unknown for the next run (default: 3 x --call-timeout).")
    String settleWindow;

    Duration settleWindow() {
        return settleWindow == null ? Applier.Settings.settleWindowFor(timeouts().call())
                : duration("--settle-window", settleWindow);
    }

    void check() {
        if (parallelism < 1 || parallelism > 256) {
            throw new CliException(Main.ERROR, "--parallelism must be between 1 and 256, not " + parallelism);
        }
        if (maxRetries < 0 || maxRetries > 50) {
            throw new CliException(Main.ERROR, "--max-retries must be between 0 and 50, not " + maxRetries);
        }
        timeouts();
        settleWindow();
        ratePerSecond();
    }

    GatewayClient.Timeouts timeouts() {
        return new GatewayClient.Timeouts(duration("--connect-timeout", connectTimeout),
                duration("--read-timeout", readTimeout), duration("--call-timeout", callTimeout));
    }

    Applier.Settings settings() {
        Backoff backoff = new Backoff(maxRetries + 1, Backoff.DEFAULT.base(), Backoff.DEFAULT.cap());
        return new Applier.Settings(parallelism, backoff, ratePerSecond(), settleWindow());
    }

    Backoff backoff() {
        return settings().backoff();
    }

    private Double ratePerSecond() {
        if (rate == null) {
            return null;
        }
        String number = rate.endsWith("/s") ? rate.substring(0, rate.length() - 2) : rate;
        try {
            double value = Double.parseDouble(number);
            if (value > 0 && value <= 10_000) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(Main.ERROR, "--rate '" + rate + "' is not a rate: write e.g. 20/s (0 < N <= 10000).");
    }

    private static Duration duration(String option, String text) {
        try {
            Duration d = Durations.parse(text);
            if (d.isZero()) {
                throw new IllegalArgumentException("'" + text + "' is zero");
            }
            return d;
        } catch (IllegalArgumentException e) {
            throw new CliException(Main.ERROR, option + ": " + e.getMessage());
        }
    }
}
