package io.certform.plan;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a binding changes. */
public enum Reason {
    NOT_IN_STATE("the binding is not in the state"),
    REMOVED_FROM_MANIFEST("the binding is no longer in the manifest"),
    DESTROY_REQUESTED("destroy requested"),
    MOVED("the binding's address changed (its certificate key was renamed): the state follows, nothing is sent"),
    PROVIDER_MOVED("the binding moved to another provider: it is made on the new gateway first, and removed from the"
            + " old one only once that succeeded (never a gap)"),
    CERTIFICATE_CHANGED("the certificate changed"),
    CHAIN_CHANGED("the intermediate chain changed"),
    NAME_CHANGED("the certificate name changed"),
    SCOPE_CHANGED("the certificate type or instance changed"),
    TRUSTED_ROOT_CA_CHANGED("the trusted root CA changed"),
    DOMAIN_MOVED("the binding now names another instance, group or domain"),
    CHANGED_OUTSIDE("the domain's certificate was changed outside certform"),
    REMOVED_OUTSIDE("the domain's certificate was removed outside certform"),
    MODEL_CHANGED("the certificate's mode changed (per-domain / shared): the new binding is made first, then the old"
            + " one removed, so the domain is never without a certificate"),
    CERTIFICATE_REPLACED("the shared certificate resource is replaced: the domain is attached to the new one, then"
            + " detached from the old one"),
    ROTATED_FOR_ROLLOUT("rotated for a rollout: a new certificate resource is attached wave by wave, and the old one"
            + " kept until every wave verified (a rollback re-attaches it)"),
    ROLLED_BACK("rolled back: the rollout failed its check, so the previous certificate is restored"),
    REPLACE_REQUESTED("replacement requested with -replace: the certificate is uploaded and bound again"),
    DEPOSED("left by a create-before-destroy that did not finish: removed now that its replacement is in place"),
    ALREADY_IN_PLACE("the domain already carries the declared certificate (put there outside certform, or by a run"
            + " whose record was lost): it is recorded in the state without a call"),
    FOREIGN_LEFT_ALONE("the certificate certform bound is no longer on the domain, which now carries another one"
            + " that certform did not bind: that one is left alone, only the state forgets the binding"),
    DOMAIN_GONE("the domain is no longer in its API group (removed outside certform): the binding is forgotten,"
            + " nothing is sent");

    private final String text;

    Reason(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    /** How the reason is written in files and JSON output: {@code certificate_changed}. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Reason fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
