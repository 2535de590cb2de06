package io.certform.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/** What a change does to one binding. */
public enum Action {
    NO_OP(" ", List.of("no-op")),
    CREATE("+", List.of("create")),
    /** Bind the domain again, with new content, name or scope. */
    UPDATE("~", List.of("update")),
    /** The binding moved to another domain: remove the old one, then create the new one. */
    REPLACE("-/+", List.of("delete", "create")),
    DELETE("-", List.of("delete")),
    /**
     * Create before destroy: the new object is put in place first, then the old one removed, so that the domain is
     * never without a certificate (a change of certificate model, or of the shared certificate resource). Written
     * {@code ["create", "delete"]}, as Terraform writes a create_before_destroy replacement.
     */
    CREATE_THEN_DELETE("+/-", List.of("create", "delete")),
    /**
     * The binding is recorded under a new address (a certificate key renamed), its domain and certificate as they
     * are: only the state changes, nothing is sent. Written {@code ["no-op"]} with a {@code previous_address}, as
     * Terraform writes a move.
     */
    MOVE("->", List.of("no-op")),
    /**
     * The domain already carries exactly the declared certificate (by the one identity rule, {@code remote/Identity}),
     * though the state does not record it there: it is recorded in the state, nothing is sent. Written
     * {@code ["adopt"]}, and counted apart from creates.
     */
    ADOPT("=", List.of("adopt"));

    private final String symbol;
    private final List<String> wireActions;

    Action(String symbol, List<String> wireActions) {
        this.symbol = symbol;
        this.wireActions = wireActions;
    }

    /** The plan output's marker: {@code +}, {@code ~}, {@code -/+}, {@code -}, {@code =} (adopt). */
    public String symbol() {
        return symbol;
    }

    /** The {@code actions} list of the plan JSON, as Terraform writes it. */
    public List<String> wireActions() {
        return wireActions;
    }

    /** How the action is written in files: {@code create}, {@code update}, {@code replace}, {@code delete}, {@code no-op}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    @JsonCreator
    public static Action fromWireName(String name) {
        for (Action action : values()) {
            if (action.wireName().equals(name)) {
                return action;
            }
        }
        throw new IllegalArgumentException("unknown action '" + name + "'");
    }

    public boolean changes() {
        return this != NO_OP;
    }

    /** A replacement of either kind: the old object goes, a new one comes. */
    public boolean replaces() {
        return this == REPLACE || this == CREATE_THEN_DELETE;
    }
}
