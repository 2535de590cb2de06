package io.certform.cert;

import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;

/** How certificates are named in messages: the CN when there is one, else the whole DN. */
final class Names {
    private Names() {
    }

    static String subject(X509CertificateHolder certificate) {
        return name(certificate.getSubject());
    }

    static String issuer(X509CertificateHolder certificate) {
        return name(certificate.getIssuer());
    }

    static String commonName(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        return rdns.length == 0 ? null : IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private static String name(X500Name name) {
        String cn = commonName(name);
        return cn != null ? cn : name.toString();
    }
}
