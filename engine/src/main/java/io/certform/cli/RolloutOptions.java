package io.certform.cli;

import io.certform.base.Durations;
import io.certform.manifest.RolloutSpec;
import io.certform.rollout.RolloutSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * Apply's rollout flags: each overrides its value of the manifest's {@code rollout:} block; the pause, the question
 * between waves and the webhook exist on the command line only. {@link #settings} checks them all.
 */
public final class RolloutOptions {

    @Option(names = "--waves", paramLabel = "LIST",
            description = "Bindings per wave, overriding rollout.waves (and rollout.by: provider): counts or shares"
                    + " of what remains, e.g. 1,10%%,100%%; the last wave takes the rest.")
    String waves;

    @Option(names = "--verify", paramLabel = "none|tls",
            description = "After each wave, tls checks that each domain serves the new certificate (overrides"
                    + " rollout.verify).")
    String verify;

    @Option(names = "--max-failures", paramLabel = "N",
            description = "Failures tolerated per wave before the rollout stops (overrides rollout.max_failures).")
    Integer maxFailures;

    @Option(names = "--on-failure", paramLabel = "stop|rollback",
            description = "What a failed wave does: stop, or rollback the waves done (overrides rollout.on_failure).")
    String onFailure;

    @Option(names = "--probe-resolve", paramLabel = "HOST:PORT",
            description = "Verify by connecting here instead of resolving each domain, as curl --resolve (overrides"
                    + " rollout.probe.resolve).")
    String probeResolve;

    @Option(names = "--wave-pause", paramLabel = "D",
            description = "Wait this long between two waves, e.g. 5m (default: no pause).")
    String wavePause;

    @Option(names = "--confirm-waves",
            description = "Ask y/N on the terminal before each wave after the first; refused when standard input is"
                    + " not a terminal.")
    boolean confirmWaves;

    @Option(names = "--notify", paramLabel = "URL",
            description = "POST the JSON summary of the apply to this http(s) URL (it never carries a secret).")
    String notify;

    /** The flags that shape the plan's waves: a saved plan already fixed them. */
    List<String> shapingThePlan() {
        List<String> given = new ArrayList<>();
        if (waves != null) {
            given.add("--waves");
        }
        if (verify != null) {
            given.add("--verify");
        }
        if (maxFailures != null) {
            given.add("--max-failures");
        }
        if (onFailure != null) {
            given.add("--on-failure");
        }
        return given;
    }

    /** Every rollout flag given, by name. */
    List<String> given() {
        List<String> given = new ArrayList<>(shapingThePlan());
        if (probeResolve != null) {
            given.add("--probe-resolve");
        }
        if (wavePause != null) {
            given.add("--wave-pause");
        }
        if (confirmWaves) {
            given.add("--confirm-waves");
        }
        if (notify != null) {
            given.add("--notify");
        }
        return given;
    }

    /**
     * The manifest's block with the flags over it; a flag that sets one of its values makes the rollout declared.
     *
     * @param stdinTerminal whether standard input is a terminal, which {@code --confirm-waves} needs
     */
    RolloutSettings settings(RolloutSpec manifest, boolean stdinTerminal) {
        RolloutSpec r = manifest;
        List<RolloutSpec.WaveSize> sizes = waves == null ? r.waves() : waves(waves);
        RolloutSpec.Verify v = verify == null ? r.verify() : word("--verify", verify, RolloutSpec.Verify.of(lower(verify)),
                "none or tls");
        int failures = r.maxFailures();
        if (maxFailures != null) {
            if (maxFailures < 0) {
                throw new CliException(Main.ERROR, "--max-failures must be 0 or more, not " + maxFailures + ".");
            }
            failures = maxFailures;
        }
        RolloutSpec.OnFailure o = onFailure == null ? r.onFailure()
                : word("--on-failure", onFailure, RolloutSpec.OnFailure.of(lower(onFailure)), "stop or rollback");
        RolloutSpec.Probe probe = r.probe();
        if (probeResolve != null) {
            RolloutSpec.HostPort at = RolloutSpec.HostPort.parse(probeResolve);
            if (at == null) {
                throw new CliException(Main.ERROR, "--probe-resolve '" + probeResolve + "' is not HOST:PORT: write"
                        + " e.g. 127.0.0.1:8443, or [::1]:8443 for IPv6.");
            }
            probe = probe.withResolve(at);
        }
        Duration pause = Duration.ZERO;
        if (wavePause != null) {
            try {
                pause = Durations.parse(wavePause);
            } catch (IllegalArgumentException e) {
                throw new CliException(Main.ERROR, "--wave-pause: " + e.getMessage());
            }
        }
        if (confirmWaves && !stdinTerminal) {
            throw new CliException(Main.ERROR, "--confirm-waves asks before each wave on the terminal, but standard"
                    + " input is not a terminal (a pipeline?). Use --wave-pause D to wait between waves instead, or"
                    + " run apply in a terminal; nothing was changed.");
        }
        URI url = notify == null ? null : url(notify);
        boolean declared = r.declared() || !shapingThePlan().isEmpty() || probeResolve != null;
        // --waves replaces by: provider with waves by size over every provider's bindings
        RolloutSpec effective = new RolloutSpec(declared, sizes, v, probe, failures, o, r.range(),
                waves == null ? r.providerOrder() : List.of());
        return new RolloutSettings(effective, pause, confirmWaves, url);
    }

    /** {@code --waves 1,10%,100%}. */
    static List<RolloutSpec.WaveSize> waves(String text) {
        List<RolloutSpec.WaveSize> sizes = new ArrayList<>();
        String[] parts = text.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            RolloutSpec.WaveSize size = RolloutSpec.WaveSize.parse(parts[i]);
            if (size == null) {
                throw new CliException(Main.ERROR, "--waves '" + text + "': '" + parts[i].strip() + "' is not a count"
                        + " or a share. Write counts (1 or more) and shares of what remains (1% to 100%), separated by"
                        + " commas, e.g. --waves 1,10%,100%.");
            }
            if (!sizes.isEmpty() && sizes.get(sizes.size() - 1).equals(RolloutSpec.WaveSize.REST)) {
                throw new CliException(Main.ERROR, "--waves '" + text + "': '" + parts[i].strip() + "' comes after"
                        + " 100%, which takes every binding left. End the list at 100%.");
            }
            sizes.add(size);
        }
        return sizes;
    }

    private static URI url(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    && uri.getUserInfo() == null) {
                return uri;
            }
            if (uri.getUserInfo() != null) {
                throw new CliException(Main.ERROR, "--notify: the URL carries a user and password (user:password@),"
                        + " which certform could show in its output: give a URL without them.");
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new CliException(Main.ERROR, "--notify '" + text + "' is not an http(s) URL: write e.g."
                + " https://hooks.example.com/certform.");
    }

    private static <T> T word(String option, String text, T value, String choices) {
        if (value == null) {
            throw new CliException(Main.ERROR, option + " '" + text + "' is not " + choices + ".");
        }
        return value;
    }

    private static String lower(String text) {
        return text.strip().toLowerCase(Locale.ROOT);
    }
}
