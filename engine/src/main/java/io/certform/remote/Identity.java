package io.certform.remote;

import io.certform.api.CertificateDetail;
import io.certform.api.GroupDetail;
import io.certform.state.ResourceState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The one rule for "does this domain carry this certificate?". A certificate on a domain is the expected one
 * only when its name, serial number (compared as a number), expiry, type ({@code global} / {@code instance}) and
 * client-CA setting ({@code is_has_trusted_root_ca}) all match. Any difference is drift, and is named.
 *
 * <p>The API never returns the PEM, so this is as close as the remote side lets anyone look.
 */
public final class Identity {

    private Identity() {
    }

    /**
     * What a binding's certificate looks like from the remote side.
     *
     * @param clientCa whether the binding declares a trusted root CA (client-certificate checks on)
     */
    public record Expected(String name, String serialNumber, Instant notAfter, String type, boolean clientCa) {
        public static Expected of(ResourceState r) {
            return new Expected(r.sslName(), r.serialNumber(), instant(r.notAfter()), r.type(),
                    r.trustedRootCaSha256() != null);
        }
    }

    /**
     * The differences between what is expected and a certificate the domain carries; empty when it is the one.
     *
     * @param domain the domain's row in its group (its client-CA flag is used when the certificate answer has none)
     */
    public static List<String> differences(Expected expected, CertificateDetail found, GroupDetail.Domain domain) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(expected.name(), found.name())) {
            out.add("name " + found.name() + " (expected " + expected.name() + ")");
        }
        if (!SerialNumbers.same(expected.serialNumber(), found.serialNumber())) {
            out.add("serial " + found.serialNumber() + " (expected " + expected.serialNumber() + ")");
        }
        Instant notAfter = instant(found.notAfter());
        if (notAfter == null || expected.notAfter() == null
                || notAfter.getEpochSecond() != expected.notAfter().getEpochSecond()) {
            out.add("not_after " + found.notAfter() + " (expected " + expected.notAfter() + ")");
        }
        if (!Objects.equals(expected.type(), found.type())) {
            out.add("type " + found.type() + " (expected " + expected.type() + ")");
        }
        Boolean clientCa = found.hasTrustedRootCa() != null ? found.hasTrustedRootCa()
                : domain == null ? null : domain.clientCaEnabled();
        if (clientCa == null || clientCa != expected.clientCa()) {
            out.add("client-certificate check " + (clientCa == null ? "unknown" : clientCa ? "on" : "off")
                    + " (expected " + (expected.clientCa() ? "on: trusted_root_ca is declared" : "off") + ")");
        }
        return out;
    }

    public static boolean matches(Expected expected, CertificateDetail found, GroupDetail.Domain domain) {
        return differences(expected, found, domain).isEmpty();
    }

    static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
