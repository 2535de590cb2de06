package io.certform.manifest;

import io.certform.base.SourceRange;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The manifest's {@code rollout:} block: how apply sends the bindings out in waves, checks each wave, and reacts to
 * a failed one. A manifest without the block has {@link #NONE}: one wave of everything, nothing verified.
 *
 * @param declared    whether the manifest has a {@code rollout:} block (the plan shows a rollout only then)
 * @param waves       the wave sizes, in order; the last wave always takes what remains
 * @param verify      what is checked after each wave
 * @param probe       how {@link Verify#TLS} connects to a domain
 * @param maxFailures failures tolerated per wave; one more stops the rollout
 * @param onFailure   what a stopped rollout does to the waves already done
 * @param range       where the block is, for messages; null for {@link #NONE}
 * @param providerOrder with {@code by: provider}, every provider's name in the order its wave goes out (one wave per
 *                    provider, {@link #waves} unused); empty: waves by size
 */
public record RolloutSpec(boolean declared, List<WaveSize> waves, Verify verify, Probe probe, int maxFailures,
                          OnFailure onFailure, SourceRange range, List<String> providerOrder) {

    /** No rollout block: every binding in one wave, no verification, stop on failure. */
    public static final RolloutSpec NONE = new RolloutSpec(false, List.of(WaveSize.REST), Verify.NONE, Probe.DEFAULT,
            0, OnFailure.STOP, null);

    /** Waves by size. */
    public RolloutSpec(boolean declared, List<WaveSize> waves, Verify verify, Probe probe, int maxFailures,
                       OnFailure onFailure, SourceRange range) {
        this(declared, waves, verify, probe, maxFailures, onFailure, range, List.of());
    }

    public RolloutSpec {
        providerOrder = providerOrder == null ? List.of() : List.copyOf(providerOrder);
        waves = List.copyOf(waves);
        if (waves.isEmpty()) {
            throw new IllegalArgumentException("a rollout has at least one wave");
        }
        if (maxFailures < 0) {
            throw new IllegalArgumentException("max_failures is 0 or more");
        }
    }

    /**
     * One entry of {@code waves}: a count of bindings ({@code 5}) or a share of what remains ({@code "10%"},
     * rounded up).
     *
     * @param count   the bindings of the wave, or 0 for a share
     * @param percent the share of what remains, 1 to 100, or 0 for a count
     */
    public record WaveSize(int count, int percent) {
        /** {@code "100%"}: everything that remains. */
        public static final WaveSize REST = new WaveSize(0, 100);

        public WaveSize {
            if ((count > 0) == (percent > 0) || count < 0 || percent < 0 || percent > 100) {
                throw new IllegalArgumentException("a wave is a count >= 1 or a share from 1% to 100%");
            }
        }

        /** {@code 5} or {@code 10%} (what the manifest and {@code --waves} write); null for anything else. */
        public static WaveSize parse(String text) {
            String t = text == null ? "" : text.strip();
            if (t.matches("[0-9]{1,9}")) {
                int n = Integer.parseInt(t);
                return n >= 1 ? count(n) : null;
            }
            if (t.matches("[0-9]{1,3}%")) {
                int n = Integer.parseInt(t.substring(0, t.length() - 1));
                return n >= 1 && n <= 100 ? percent(n) : null;
            }
            return null;
        }

        public static WaveSize count(int n) {
            return new WaveSize(n, 0);
        }

        public static WaveSize percent(int n) {
            return new WaveSize(0, n);
        }

        /** How many of {@code remaining} bindings this wave takes: never more than remain. */
        public int of(int remaining) {
            if (count > 0) {
                return Math.min(count, remaining);
            }
            return (int) Math.min(remaining, ((long) remaining * percent + 99) / 100);
        }

        /** As the manifest writes it: {@code 5}, {@code "10%"}. */
        @Override
        public String toString() {
            return count > 0 ? Integer.toString(count) : percent + "%";
        }
    }

    /** What is checked after each wave. */
    public enum Verify {
        /** Nothing: the API's answer is taken as the result. */
        NONE,
        /** Each domain of the wave must serve the new certificate (by SNI), with a chain that verifies. */
        TLS;

        /** The manifest's and the command line's word for it. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The value for a word, or null. */
        public static Verify of(String word) {
            for (Verify v : values()) {
                if (v.word().equals(word)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** What a wave over {@code max_failures} does. */
    public enum OnFailure {
        /** Stop the rollout: the waves done stay as they are. */
        STOP,
        /** Stop, and restore the previous certificate on the domains of the waves done. */
        ROLLBACK;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static OnFailure of(String word) {
            for (OnFailure o : values()) {
                if (o.word().equals(word)) {
                    return o;
                }
            }
            return null;
        }
    }

    /**
     * How {@code verify: tls} reaches a domain.
     *
     * @param port        the TLS port (443)
     * @param resolve     connect here instead of resolving the domain ({@code host:port}, as curl's
     *                    {@code --resolve}); null to resolve the domain's name
     * @param timeout     per connection (10s)
     * @param propagation how long a domain may take to serve the new certificate (60s)
     * @param roots       the trust anchors in PEM; null: the top certificate of each certificate's own bundle
     */
    public record Probe(int port, HostPort resolve, Duration timeout, Duration propagation, SourceValue roots) {
        public static final int DEFAULT_PORT = 443;
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
        public static final Duration DEFAULT_PROPAGATION = Duration.ofSeconds(60);
        public static final Probe DEFAULT = new Probe(DEFAULT_PORT, null, DEFAULT_TIMEOUT, DEFAULT_PROPAGATION, null);

        public Probe withResolve(HostPort value) {
            return new Probe(port, value, timeout, propagation, roots);
        }
    }

    /** A {@code host:port} to connect to; an IPv6 host is written in brackets ({@code [::1]:8443}). */
    public record HostPort(String host, int port) {
        /** The address for {@code text}, or null when it is not {@code host:port} with a port from 1 to 65535. */
        public static HostPort parse(String text) {
            if (text == null) {
                return null;
            }
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return null;
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") != host.endsWith("]") || (host.contains(":") && !host.startsWith("["))
                    || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                return null;
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                return port >= 1 && port <= 65535 ? new HostPort(host, port) : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** Whether each wave is one provider's bindings ({@code by: provider}). */
    public boolean byProvider() {
        return !providerOrder.isEmpty();
    }

    /** The same block with waves by size ({@code --waves} replaces {@code by: provider}). */
    public RolloutSpec withWaves(List<WaveSize> sizes) {
        return new RolloutSpec(declared, sizes, verify, probe, maxFailures, onFailure, range, List.of());
    }

    /** Whether the last wave takes what remains without saying so (the list does not end with "100%"). */
    public boolean lastWaveTakesTheRest() {
        return !byProvider() && !waves.get(waves.size() - 1).equals(WaveSize.REST);
    }
}
