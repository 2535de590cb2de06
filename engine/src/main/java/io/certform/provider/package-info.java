/**
 * Where the API is for a run: a remote endpoint (derived from the region, or given), or the embedded simulator,
 * started in-process on loopback with a world seeded from the manifest and persisted beside the state. The engine
 * talks to either only through {@link io.certform.api.GatewayClient}, over HTTP.
 */
package io.certform.provider;
