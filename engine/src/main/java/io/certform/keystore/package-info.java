/**
 * The key store of certificates issued by ACME (issue #26): one encrypted PKCS#12 holding each issued certificate's
 * private key and chain, and the ACME account keys ({@link io.certform.keystore.IssuedKeys}), over a storage that
 * keeps its bytes ({@link io.certform.keystore.KeyStorage}): a file beside the local state
 * ({@code keystore.local}) or a row in the PostgreSQL workspace ({@code keystore.postgres}). Never prints, and no
 * message it makes holds key material or the password; the state never holds a key.
 */
package io.certform.keystore;
