package io.certform.simulator;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses what the TLS port presents from the name the client asked for (SNI): one key manager for every domain,
 * so one {@code SSLContext}. The choice is made per handshake; its alias names the material and whether the
 * chain is cut to the leaf, and the JDK then asks for that alias's chain and key.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    /** What one handshake presents. */
    record Selection(TlsMaterial material, boolean leafOnly) {
        String alias() {
            return material.id + (leafOnly ? "/leaf" : "/full");
        }
    }

    private static final int RECENT = 4096;

    private final Function<String, Selection> selector;
    /** Selections by alias, most recent last; the JDK asks for the chain and key right after choosing. */
    private final Map<String, Selection> recent = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Selection> eldest) {
            return size() > RECENT;
        }
    };

    /** @param selector what to present for a name (lower-case ASCII), or null to present nothing */
    SniKeyManager(Function<String, Selection> selector) {
        this.selector = selector;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return socket instanceof SSLSocket ssl ? choose(keyType, ssl.getHandshakeSession()) : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return engine == null ? null : choose(keyType, engine.getHandshakeSession());
    }

    private String choose(String keyType, SSLSession session) {
        String name = requestedName(session);
        Selection selection = name == null ? null : selector.apply(name);
        if (selection == null || !selection.material().keyType().equals(keyType)) {
            return null;
        }
        String alias = selection.alias();
        synchronized (recent) {
            recent.put(alias, selection);
        }
        return alias;
    }

    /** The host name the client sent, or null when it sent none. */
    static String requestedName(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) {
            return null;
        }
        List<SNIServerName> names = extended.getRequestedServerNames();
        for (SNIServerName name : names) {
            if (name.getType() == StandardConstants.SNI_HOST_NAME) {
                return hostName(name);
            }
        }
        return null;
    }

    static String hostName(SNIServerName name) {
        return (name instanceof SNIHostName host ? host : new SNIHostName(name.getEncoded())).getAsciiName()
                .toLowerCase(java.util.Locale.ROOT);
    }

    private Selection selection(String alias) {
        synchronized (recent) {
            return recent.get(alias);
        }
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Selection s = alias == null ? null : selection(alias);
        return s == null ? null : s.material().chain(s.leafOnly());
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Selection s = alias == null ? null : selection(alias);
        return s == null ? null : s.material().key();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
