/**
 * Proof that a domain serves what was bound to it: {@link io.certform.verify.TlsProbe} connects to a domain
 * with its name as SNI, reads the chain it presents, and checks that the leaf is the expected certificate and
 * that the chain verifies to the declared roots, retrying through a propagation window;
 * {@link io.certform.verify.Verification} is what it found. Knows nothing of manifests, plans or state: the
 * caller says what to expect and what to trust.
 */
package io.certform.verify;
