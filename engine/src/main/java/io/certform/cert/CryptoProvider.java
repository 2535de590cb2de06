package io.certform.cert;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The one BouncyCastle provider of the process, made on first use. Making a provider registers some thousand
 * algorithms (tens of milliseconds each time), so it is never made per certificate, and a command that reads no
 * certificate never makes it.
 */
final class CryptoProvider {

    private CryptoProvider() {
    }

    private static final class Holder {
        private static final Provider BC = new BouncyCastleProvider();
    }

    static Provider bouncyCastle() {
        return Holder.BC;
    }
}
