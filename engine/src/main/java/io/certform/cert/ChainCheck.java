package io.certform.cert;

import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Checks a bundle's order: each certificate is signed by the one after it. A leaf whose issuer is not in the
 * bundle and that is not self-signed gets a warning: clients without the intermediate will fail.
 */
final class ChainCheck {

    private ChainCheck() {
    }

    static void check(List<X509CertificateHolder> chain, List<CertificateProblem> problems) {
        for (int i = 1; i < chain.size(); i++) {
            X509CertificateHolder child = chain.get(i - 1);
            X509CertificateHolder parent = chain.get(i);
            if (!signedBy(child, parent)) {
                int actual = signerIndex(chain, child);
                String detail = actual >= 0
                        ? "Certificate " + (actual + 1) + " of the bundle signed it: put the leaf first, then each"
                        + " certificate followed by the one that signed it."
                        : "Its signer is not in the bundle. Put the leaf first, then the intermediate that signed it,"
                        + " then the one that signed that.";
                problems.add(new CertificateProblem(true, "cert_content", (actual >= 0 ? "the chain is out of order: "
                        : "the chain is broken: ") + "certificate " + (i + 1) + " (" + Names.subject(parent)
                        + ") did not sign certificate " + i + " (" + Names.subject(child) + ")", detail));
                return;
            }
        }
        X509CertificateHolder leaf = chain.get(0);
        if (chain.size() == 1 && !selfSigned(leaf)) {
            problems.add(new CertificateProblem(false, "cert_content",
                    "the bundle does not include the issuer of the certificate (" + Names.issuer(leaf) + ")",
                    "Clients that do not already have the intermediate will fail to verify the domain. Append the"
                            + " intermediate certificate(s) after the leaf."));
        }
    }

    /**
     * Where the leaf is when it is not first: the first certificate signed another of the bundle, and exactly one
     * certificate signed none. -1 when the first is the leaf, or when no single leaf stands out.
     */
    static int misplacedLeaf(List<X509CertificateHolder> chain) {
        if (chain.size() < 2 || !signsAnother(chain, 0)) {
            return -1;
        }
        int leaf = -1;
        for (int i = 1; i < chain.size(); i++) {
            if (!signsAnother(chain, i)) {
                if (leaf >= 0) {
                    return -1;
                }
                leaf = i;
            }
        }
        return leaf;
    }

    private static boolean signsAnother(List<X509CertificateHolder> chain, int signer) {
        for (int j = 0; j < chain.size(); j++) {
            if (j != signer && signedBy(chain.get(j), chain.get(signer))) {
                return true;
            }
        }
        return false;
    }

    static boolean selfSigned(X509CertificateHolder certificate) {
        return certificate.getSubject().equals(certificate.getIssuer()) && signedBy(certificate, certificate);
    }

    private static int signerIndex(List<X509CertificateHolder> chain, X509CertificateHolder child) {
        for (int j = 0; j < chain.size(); j++) {
            if (chain.get(j) != child && signedBy(child, chain.get(j))) {
                return j;
            }
        }
        return -1;
    }

    private static boolean signedBy(X509CertificateHolder child, X509CertificateHolder parent) {
        return child.getIssuer().equals(parent.getSubject()) && CryptoProvider.verifies(child, parent);
    }
}
