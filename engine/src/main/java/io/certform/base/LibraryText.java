package io.certform.base;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * A library's message (the JDK's, snakeyaml's, BouncyCastle's) fitted into one of certform's sentences, so that
 * the two read as one: no doubled words ("While while scanning"), no full stop in the middle of a sentence, no
 * bare file name where the library meant "no such file".
 */
public final class LibraryText {

    private LibraryText() {
    }

    /**
     * The message as a clause to follow a colon: one line, without a trailing full stop, "fallback" when the
     * library gave none.
     */
    public static String clause(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        String text = message.strip().replaceAll("\\s+", " ").replace(". (", " (");
        while (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1).stripTrailing();
        }
        return text;
    }

    /** What went wrong, as a clause: file-system failures say so and name the file, others give their message. */
    public static String clause(Throwable e) {
        if (e instanceof NoSuchFileException f) {
            return "no such file " + f.getFile();
        }
        if (e instanceof AccessDeniedException f) {
            return "permission denied on " + f.getFile();
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return clause(f.getReason(), e.getClass().getSimpleName()) + " (" + f.getFile() + ")";
        }
        return clause(e.getMessage(), e.getClass().getSimpleName());
    }

    /** The message as a sentence of its own: a capital first letter and one full stop; empty stays empty. */
    public static String sentence(String message) {
        String text = clause(message, "");
        if (text.isEmpty()) {
            return "";
        }
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
    }
}
