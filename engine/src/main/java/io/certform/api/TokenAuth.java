package io.certform.api;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Authenticates every request with an IAM token in {@code X-Auth-Token}. */
public final class TokenAuth implements Interceptor {
    private final String token;

    public TokenAuth(String token) {
        this.token = token;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder().header("X-Auth-Token", token).build());
    }

    @Override
    public String toString() {
        return "TokenAuth(sensitive)";
    }
}
