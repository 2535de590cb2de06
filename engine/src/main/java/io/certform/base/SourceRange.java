package io.certform.base;

/**
 * A place in a file the user wrote. Line and column are 1-based, as editors show them.
 *
 * @param file   the file as the user named it (relative paths stay relative)
 * @param line   1-based line, or 0 when only the file is known
 * @param column 1-based column, or 0 when only the file is known
 */
public record SourceRange(String file, int line, int column) {

    public static SourceRange ofFile(String file) {
        return new SourceRange(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
