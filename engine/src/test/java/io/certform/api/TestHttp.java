package io.certform.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

/** An HTTP client built the way certform builds them ({@link Transport}), for tests: user agent certform/test. */
public final class TestHttp {
    private TestHttp() {
    }

    public static OkHttpClient client(Interceptor auth, Duration callTimeout) {
        try {
            return new Transport("certform/test", 4, new GatewayClient.Timeouts(GatewayClient.Timeouts.DEFAULT.connect(),
                    GatewayClient.Timeouts.DEFAULT.read(), callTimeout), null, null).client(auth);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
