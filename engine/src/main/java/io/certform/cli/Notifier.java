package io.certform.cli;

import io.certform.cli.view.RolloutReportText;
import io.certform.workflow.RolloutRun;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.Consumer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code apply --notify URL}: posts the rollout's JSON summary (waves, totals, failed checks: names, serials and
 * outcomes, never a key, token or PEM) to a webhook, retried three times with a growing pause. A webhook that
 * cannot be reached is a note, not a failure of the apply: what was done is recorded either way.
 */
final class Notifier {

    private static final MediaType JSON = MediaType.get("application/json");
    private static final int ATTEMPTS = 3;

    private Notifier() {
    }

    static boolean post(URI url, RolloutRun.Report report, Consumer<String> notes) {
        byte[] body = JsonMapper.builder().build().writeValueAsBytes(
                RolloutReportText.json(report, JsonMapper.builder().build()));
        OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(10)).build();
        String last = null;
        try {
            for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
                Request request = new Request.Builder().url(url.toString()).post(RequestBody.create(body, JSON))
                        .header("User-Agent", "certform/" + Version.VALUE).build();
                try (Response response = http.newCall(request).execute()) {
                    if (response.isSuccessful()) {
                        return true;
                    }
                    last = "HTTP " + response.code();
                    if (response.code() < 500 && response.code() != 429) {
                        break; // refused: sending it again will not help
                    }
                } catch (IOException e) {
                    last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                }
                if (attempt < ATTEMPTS) {
                    try {
                        Thread.sleep(500L * attempt);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        } finally {
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
        notes.accept("Warning: the rollout summary could not be posted to " + url.getHost() + " (" + last
                + "); the apply's result is unchanged.");
        return false;
    }
}
