package io.certform.base;

/** Where {@code ${env:NAME}} references are read; the process environment in production, a map in tests. */
@FunctionalInterface
public interface Environment {
    /** The variable's value, or null when it is not set. */
    String get(String name);

    static Environment system() {
        return System::getenv;
    }
}
