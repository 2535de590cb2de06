/**
 * The read model of the remote side: what the gateway says is bound where. The {@link
 * io.certform.remote.RemoteDirectory} reads each API group once per run (one GET per group), looks domains up by
 * id or name, and says what a 404 means; {@link io.certform.remote.Identity} is the one rule that decides whether
 * a domain carries a given certificate. Refresh, import, the lost-answer check and recovery all ask these two, so
 * each fact about the remote side is written here once.
 *
 * <p>Nothing here writes: no remote call that changes anything, no state, no journal.
 */
package io.certform.remote;
