/**
 * ACME issuance (issue #26) on acme4j: {@link io.certform.acme.AcmeIssuer} finds or creates the account, orders,
 * solves every dns-01 authorization through a {@link io.certform.dns.Dns01Solver}, finalizes with a fresh key and
 * downloads the chain; it reports each durable step to an {@link io.certform.acme.IssueJournal} before acting and
 * resumes a recorded order. Keys come from and go to the caller ({@link io.certform.acme.AccountKeys},
 * {@link io.certform.acme.OrderKeys}); CA errors become an {@link io.certform.acme.AcmeIssueException} of a named
 * kind. Knows nothing of plans, state, the manifest or commands; prints nothing.
 */
package io.certform.acme;
