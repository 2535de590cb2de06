/**
 * Certificates and keys: PEM parsing (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8 and legacy encrypted PEM), key and
 * certificate match, validity, chain order, strength, SAN coverage and fingerprints, as pure functions over the
 * bytes the user supplied (BouncyCastle).
 *
 * <p>Nothing here reads files or talks to the network. A private key leaves this package only as a
 * {@link io.certform.base.Secret} (the key to send, decrypted when the user gave a passphrase), and no
 * problem message quotes key material or a parser's error text.
 */
package io.certform.cert;
