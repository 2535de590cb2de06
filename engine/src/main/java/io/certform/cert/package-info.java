/**
 * Certificates and keys: PEM parsing, key/certificate match, validity, SAN coverage and fingerprints, as pure
 * functions over the bytes the user supplied (BouncyCastle). Nothing here reads files or talks to the network,
 * and no private key leaves a method that received it.
 */
package io.certform.cert;
