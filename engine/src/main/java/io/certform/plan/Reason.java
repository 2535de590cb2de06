package io.certform.plan;

/** Why a binding changes. */
public enum Reason {
    NOT_IN_STATE("the binding is not in the state"),
    REMOVED_FROM_MANIFEST("the binding is no longer in the manifest"),
    CERTIFICATE_CHANGED("the certificate changed"),
    CHAIN_CHANGED("the intermediate chain changed"),
    NAME_CHANGED("the certificate name changed"),
    SCOPE_CHANGED("the certificate type or instance changed"),
    TRUSTED_ROOT_CA_CHANGED("the trusted root CA changed"),
    DOMAIN_MOVED("the binding now names another instance, group or domain");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
