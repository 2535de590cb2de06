package io.certform.plan;

import java.util.List;

/** What a change does to one binding. */
public enum Action {
    NO_OP(" ", List.of("no-op")),
    CREATE("+", List.of("create")),
    /** Bind the domain again, with new content, name or scope. */
    UPDATE("~", List.of("update")),
    /** The binding moved to another domain: remove the old one, then create the new one. */
    REPLACE("-/+", List.of("delete", "create")),
    DELETE("-", List.of("delete"));

    private final String symbol;
    private final List<String> wireActions;

    Action(String symbol, List<String> wireActions) {
        this.symbol = symbol;
        this.wireActions = wireActions;
    }

    /** The plan output's marker: {@code +}, {@code ~}, {@code -/+}, {@code -}. */
    public String symbol() {
        return symbol;
    }

    /** The {@code actions} list of the plan JSON, as Terraform writes it. */
    public List<String> wireActions() {
        return wireActions;
    }

    public boolean isReplace() {
        return this == REPLACE;
    }

    public boolean changes() {
        return this != NO_OP;
    }
}
