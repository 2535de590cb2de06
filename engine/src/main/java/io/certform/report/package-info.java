/**
 * The page model of {@code certform report}: what the fleet looks like (certificates, bindings, the last rollouts,
 * the state) as plain records, built from the workspace, the state and the {@code apply --json} logs it is given.
 * It calls no API and holds no HTML: {@code report.html} renders it; it never holds a key or a PEM.
 */
package io.certform.report;
