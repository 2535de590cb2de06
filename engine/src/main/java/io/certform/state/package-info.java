/**
 * State: what certform has bound, as it recorded it, its history, the write-ahead journal of a run, and the state
 * lock. A {@link io.certform.state.StateStore} owns all four: it is the only place that opens, appends to, compacts
 * or deletes the journal; the executor records through the {@link io.certform.state.RunRecorder} it is handed. Every
 * write replaces the state atomically, after its predecessor (lineage and serial) and keeping it in the history.
 * Two stores for users, each in a package of its own over the rules shared here: a local JSON file
 * ({@link io.certform.state.local.LocalStateStore}, an operating-system lock) and a PostgreSQL workspace
 * ({@link io.certform.state.postgres.PostgresStateStore}, a lease); one contract suite runs against both. Neither
 * backend depends on the other, and this package depends on neither ({@code ArchitectureTest}).
 *
 * <p>State and journal never hold a private key or any PEM: certificates are known by fingerprint, serial and
 * expiry. A PostgreSQL password is never part of a message.
 */
package io.certform.state;
