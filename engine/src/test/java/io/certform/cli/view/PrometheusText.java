package io.certform.cli.view;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/), as node_exporter's textfile collector takes it:
 * every line ends in a line feed; {@code # HELP name text} and {@code # TYPE name type} at most once per metric and
 * before its samples; a metric's samples contiguous; label values with only {@code \\}, {@code \"} and {@code \n}
 * escapes; a Go float value; no timestamp (the textfile collector refuses them); no series twice. Anything else
 * throws, naming the line.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final Pattern HELP = Pattern.compile("# HELP (" + NAME + ") (.*)");
    private static final Pattern TYPE = Pattern.compile("# TYPE (" + NAME + ") (counter|gauge|histogram|summary|untyped)");
    private static final Pattern SAMPLE_NAME = Pattern.compile("(" + NAME + ")");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?|NaN|[+-]Inf");

    /** One sample: its metric, labels (in order) and value. */
    public record Sample(String metric, Map<String, String> labels, double value) {
    }

    /** A family: its type, help, and samples. */
    public record Family(String name, String type, String help, List<Sample> samples) {
    }

    public static Map<String, Family> parse(String text) {
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new IllegalArgumentException("the last line does not end with a line feed");
        }
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> series = new HashSet<>();
        String current = null;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (number > 1 && line.isEmpty() && number == text.split("\n", -1).length) {
                break; // after the final line feed
            }
            String at = "line " + number + ": " + line;
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher help = HELP.matcher(line);
                Matcher type = TYPE.matcher(line);
                if (help.matches()) {
                    checkEscapes(help.group(2), false, at);
                    if (helps.put(help.group(1), help.group(2)) != null) {
                        throw new IllegalArgumentException("second HELP for " + help.group(1) + ", " + at);
                    }
                } else if (type.matches()) {
                    if (samples.containsKey(type.group(1))) {
                        throw new IllegalArgumentException("TYPE after samples of " + type.group(1) + ", " + at);
                    }
                    if (types.put(type.group(1), type.group(2)) != null) {
                        throw new IllegalArgumentException("second TYPE for " + type.group(1) + ", " + at);
                    }
                } else if (line.startsWith("# HELP") || line.startsWith("# TYPE")) {
                    throw new IllegalArgumentException("malformed HELP/TYPE, " + at);
                }
                continue;
            }
            Sample sample = sample(line, at);
            if (!sample.metric().equals(current) && samples.containsKey(sample.metric())) {
                throw new IllegalArgumentException("samples of " + sample.metric() + " are not contiguous, " + at);
            }
            current = sample.metric();
            if (!series.add(sample.metric() + sample.labels())) {
                throw new IllegalArgumentException("the same series twice, " + at);
            }
            samples.computeIfAbsent(sample.metric(), k -> new ArrayList<>()).add(sample);
        }
        Map<String, Family> families = new LinkedHashMap<>();
        for (String name : samples.keySet()) {
            families.put(name, new Family(name, types.getOrDefault(name, "untyped"), helps.get(name),
                    samples.get(name)));
        }
        for (String name : types.keySet()) {
            families.putIfAbsent(name, new Family(name, types.get(name), helps.get(name), List.of()));
        }
        return families;
    }

    private static Sample sample(String line, String at) {
        Matcher name = SAMPLE_NAME.matcher(line);
        if (!name.lookingAt()) {
            throw new IllegalArgumentException("no metric name, " + at);
        }
        int i = name.end();
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (line.charAt(i) == '}') {
                    i++;
                    break;
                }
                Matcher label = LABEL_NAME.matcher(line).region(i, line.length());
                if (!label.lookingAt()) {
                    throw new IllegalArgumentException("bad label name at column " + (i + 1) + ", " + at);
                }
                String labelName = label.group();
                i = label.end();
                if (!line.startsWith("=\"", i)) {
                    throw new IllegalArgumentException("expected =\" at column " + (i + 1) + ", " + at);
                }
                i += 2;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= line.length()) {
                        throw new IllegalArgumentException("unterminated label value, " + at);
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        char e = line.charAt(i++);
                        switch (e) {
                            case '\\' -> value.append('\\');
                            case '"' -> value.append('"');
                            case 'n' -> value.append('\n');
                            default -> throw new IllegalArgumentException("bad escape \\" + e + ", " + at);
                        }
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(labelName, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + labelName + " twice, " + at);
                }
                if (line.charAt(i) == ',') {
                    i++;
                } else if (line.charAt(i) != '}') {
                    throw new IllegalArgumentException("expected , or } at column " + (i + 1) + ", " + at);
                }
            }
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("expected one space before the value, " + at);
        }
        String rest = line.substring(i + 1);
        if (rest.contains(" ")) {
            throw new IllegalArgumentException("a timestamp or trailing text: the textfile collector refuses it, " + at);
        }
        if (!FLOAT.matcher(rest).matches()) {
            throw new IllegalArgumentException("not a float value '" + rest + "', " + at);
        }
        double value = rest.equals("NaN") ? Double.NaN : rest.endsWith("Inf")
                ? (rest.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY) : Double.parseDouble(rest);
        return new Sample(name.group(1), labels, value);
    }

    private static void checkEscapes(String text, boolean quotes, String at) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\\') {
                char e = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
                if (e != '\\' && e != 'n' && !(quotes && e == '"')) {
                    throw new IllegalArgumentException("bad escape in HELP, " + at);
                }
                i++;
            }
        }
    }

    private PrometheusText() {
    }
}
