/**
 * The gateway's REST API over okhttp: paths for both services, authentication, and the mapping of error bodies
 * to {@link io.certform.api.ApiException}. It knows HTTP and nothing of plans or state.
 *
 * <p>Request bodies carry private keys: they are never logged, and no exception message quotes one.
 */
package io.certform.api;
