package io.certform.cli.view;

/** ANSI colour, or none: {@code --no-color}, {@code NO_COLOR}, and output that is not a terminal turn it off. */
public final class Style {
    private final boolean color;

    public Style(boolean color) {
        this.color = color;
    }

    public String bold(String s) {
        return wrap("1", s);
    }

    public String green(String s) {
        return wrap("32", s);
    }

    public String yellow(String s) {
        return wrap("33", s);
    }

    public String red(String s) {
        return wrap("31", s);
    }

    public String dim(String s) {
        return wrap("2", s);
    }

    private String wrap(String code, String s) {
        return color ? "\u001b[" + code + "m" + s + "\u001b[0m" : s;
    }
}
