package io.certform.base;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one way a duration is written on certform's command line and in its manifest: {@code 20ms}, {@code 2s}, {@code 1m}. */
public final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    /** Parses {@code 20ms}, {@code 2s}, {@code 1m}, {@code 1h}; a message naming the text on anything else. */
    public static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: write e.g. 20ms, 2s, 1m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }

    /** Parses a fixed duration ({@code 20ms}) or a range ({@code 10ms..80ms}); returns {min, max}. */
    public static Duration[] parseRange(String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            Duration fixed = parse(text);
            return new Duration[] {fixed, fixed};
        }
        return new Duration[] {parse(text.substring(0, dots)), parse(text.substring(dots + 2))};
    }
}
