package io.cccancel;

import io.cccancel.cloudcontrol.CloudControl;
import io.cccancel.cloudcontrol.ProgressEvent;
import io.cccancel.cloudcontrol.SdkCloudControl;
import io.cccancel.errors.CancelResourceRequestException;
import io.cccancel.errors.RequestTokenNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.lambda.powertools.logging.PowertoolsLogging;
import software.amazon.lambda.powertools.metrics.Metrics;

/**
 * SnapStart priming: runs what a first invoke runs before the snapshot, so a restored function starts warm.
 * <ul>
 *   <li>Against Cloud Control, only a read-only call: GetResourceRequestStatus for a token that cannot exist
 *       (connection, signing, error unmarshalling on the live client).</li>
 *   <li>The cancel path itself (validation, SDK marshalling and signing, response unmarshalling, the decisions,
 *       the JSON logs and EMF metrics, the output) runs {@link #DEFAULT_ROUNDS} times over an HTTP client that
 *       answers in-process and never sends: no cancel ever leaves the function. Its logs and metrics go nowhere.</li>
 * </ul>
 * Cold-start bookkeeping is left alone (no PowertoolsLogging.withLogging, no captureColdStartMetric).
 */
public final class Priming {

    static final String PRIMING_TOKEN = "snapstart-priming-0000000000000000";
    /** Enough rounds for C1 to compile the hot path (its thresholds are ~200 calls) before the snapshot. */
    static final int DEFAULT_ROUNDS = 250;

    private static final byte[] EVENT =
            ("{\"RequestToken\":\"" + PRIMING_TOKEN + "\"}").getBytes(StandardCharsets.UTF_8);

    private Priming() {
    }

    /** Rounds from SNAPSTART_PRIMING_ROUNDS (default {@value #DEFAULT_ROUNDS}). */
    public static void prime(CloudControl live, Metrics metrics, String metricsNamespace) {
        prime(live, metrics, metricsNamespace,
                (int) DependencyFactory.envLong("SNAPSTART_PRIMING_ROUNDS", DEFAULT_ROUNDS));
    }

    public static void prime(CloudControl live, Metrics metrics, String metricsNamespace, int rounds) {
        CancelEvent.parse(EVENT);
        try {
            ProgressEvent e = live.getResourceRequestStatus(PRIMING_TOKEN);
            Json.progressEventResponse(e.withoutResourceModel());
        } catch (RequestTokenNotFoundException expected) {
            // The normal answer: the whole request/response path has run.
        } catch (CancelResourceRequestException unreachable) {
            // No network before the snapshot is fine: the classes are loaded all the same.
        }
        // Powertools logging's own set-up (its logging manager, found by ServiceLoader), without touching the
        // cold-start flag that withLogging would clear.
        PowertoolsLogging.clearBuffer();
        if (rounds <= 0) {
            return;
        }
        PrintStream out = System.out;
        try (CloudControlClient offline = DependencyFactory.cloudControlClient(
                DependencyFactory.Timeouts.fromEnvironment(), new AnsweringHttpClient())) {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            CancelService service = new CancelService(new SdkCloudControl(offline), metrics, metricsNamespace);
            for (int i = 0; i < rounds; i++) {
                ProgressEvent e = service.cancel(EVENT).ProgressEvent();
                Json.progressEventResponse(e.withoutResourceModel());
                metrics.flush();
            }
        } finally {
            System.setOut(out);
        }
    }

    /** Answers every call in-process with a CANCEL_IN_PROGRESS ProgressEvent, as Cloud Control would; sends nothing. */
    static final class AnsweringHttpClient implements SdkHttpClient {
        private static final byte[] ANSWER = ("{\"ProgressEvent\":{\"TypeName\":\"AWS::S3::Bucket\","
                + "\"Identifier\":\"snapstart-priming\",\"RequestToken\":\"" + PRIMING_TOKEN + "\","
                + "\"Operation\":\"DELETE\",\"OperationStatus\":\"CANCEL_IN_PROGRESS\",\"EventTime\":1.7641E9,"
                + "\"RetryAfter\":1.7641E9}}").getBytes(StandardCharsets.UTF_8);

        @Override
        public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
            return new ExecutableHttpRequest() {
                @Override
                public HttpExecuteResponse call() throws IOException {
                    if (request.contentStreamProvider().isPresent()) {
                        try (InputStream body = request.contentStreamProvider().get().newStream()) {
                            body.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                    return HttpExecuteResponse.builder()
                            .response(SdkHttpResponse.builder().statusCode(200)
                                    .putHeader("Content-Type", "application/x-amz-json-1.0")
                                    .putHeader("x-amzn-RequestId", "snapstart-priming").build())
                            .responseBody(AbortableInputStream.create(new ByteArrayInputStream(ANSWER)))
                            .build();
                }

                @Override
                public void abort() {
                }
            };
        }

        @Override
        public void close() {
        }
    }
}
