/**
 * A local emulation of the API gateway certificate API (ROMA Connect {@code apic} and dedicated API Gateway
 * {@code apigw}), served over HTTP on loopback. It checks what the real service checks and answers with the
 * documented status codes and error bodies.
 *
 * <p>Nothing here is shared with the engine, which talks to the simulator only over HTTP (and TLS). The simulator
 * never writes a private key or a PEM anywhere: the world it persists holds certificate metadata only; the
 * chains and keys its TLS port presents ({@code TlsServer}) are held in memory only.
 */
package io.certform.simulator;
