package io.certform.diag;

public enum Severity {
    ERROR("Error"),
    WARNING("Warning");

    private final String label;

    Severity(String label) {
        this.label = label;
    }

    /** How the severity is shown to people: "Error", "Warning". */
    public String label() {
        return label;
    }
}
