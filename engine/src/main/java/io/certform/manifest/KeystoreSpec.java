package io.certform.manifest;

import io.certform.base.Secret;
import io.certform.base.SourceRange;

/**
 * The top-level {@code keystore:} block: the password that encrypts the key store of issued keys. Required when an
 * entry uses {@code acme:}; the password is always a reference.
 */
public record KeystoreSpec(Secret password, SourceRange range) {
}
