/**
 * DNS-01 challenges (issue #26): one interface ({@link io.certform.dns.Dns01Solver}) with two solvers, Huawei Cloud
 * DNS ({@link io.certform.dns.HuaweiDnsSolver} over {@link io.certform.dns.HuaweiDnsClient}, which reuses the
 * gateway's transport, signing and calls of {@code io.certform.api}) and an external command
 * ({@link io.certform.dns.ExecSolver}); and the wait until a zone's authoritative name servers answer a record
 * ({@link io.certform.dns.AuthoritativeCheck}). Knows nothing of plans, state or the ACME order; prints nothing.
 */
package io.certform.dns;
