/**
 * State: what certform has bound, as it recorded it ({@code certform.state.json}). A {@link
 * io.certform.state.StateStore} reads and writes it; every write replaces the file atomically.
 *
 * <p>State never holds a private key or any PEM: certificates are known by fingerprint, serial and expiry.
 */
package io.certform.state;
