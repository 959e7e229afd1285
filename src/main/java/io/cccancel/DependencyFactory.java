package io.cccancel;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClientBuilder;

/**
 * Builds the one Cloud Control client of a container, explicitly, at init (AWS's cold-start advice): region from
 * AWS_REGION rather than the provider chain, the light URLConnection HTTP client, explicit timeouts, and the default
 * credentials chain (SnapStart restores credentials through the container provider, not key variables).
 * The endpoint is the SDK's own: AWS_ENDPOINT_URL_CLOUDCONTROL (or AWS_ENDPOINT_URL) points it at a local emulator
 * with no special code path.
 */
public final class DependencyFactory {

    /**
     * @param attempt one HTTP attempt: a stuck connection must fail fast enough for the SDK to retry in the budget
     * @param call    the whole call, retries included. An invoke may make two calls in a row (a refused cancel, then
     *                the status read that explains it), and both must end inside the function's 30 s timeout, so
     *                that a failure gets its own error name instead of a Lambda timeout (TimeoutBudgetTest)
     */
    public record Timeouts(Duration attempt, Duration call) {
        static final long DEFAULT_ATTEMPT_MS = 5_000;
        static final long DEFAULT_CALL_MS = 12_000;

        public static Timeouts fromEnvironment() {
            return new Timeouts(Duration.ofMillis(envLong("CLOUDCONTROL_ATTEMPT_TIMEOUT_MS", DEFAULT_ATTEMPT_MS)),
                    Duration.ofMillis(envLong("CLOUDCONTROL_CALL_TIMEOUT_MS", DEFAULT_CALL_MS)));
        }
    }

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private DependencyFactory() {
    }

    public static CloudControlClient cloudControlClient() {
        return cloudControlClient(Timeouts.fromEnvironment());
    }

    public static CloudControlClient cloudControlClient(Timeouts timeouts) {
        return builder(timeouts).build();
    }

    /** The same client for another endpoint: SnapStart priming runs the whole call path against a loopback one. */
    static CloudControlClient cloudControlClient(Timeouts timeouts, URI endpoint) {
        return builder(timeouts).endpointOverride(endpoint).build();
    }

    private static CloudControlClientBuilder builder(Timeouts timeouts) {
        return CloudControlClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(timeouts.attempt()))
                .region(Region.of(SdkSystemSetting.AWS_REGION.getStringValueOrThrow()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .overrideConfiguration(o -> o
                        // AWS_RETRY_MODE (or aws.retryMode, or the profile's retry_mode) when set; otherwise AWS's
                        // recommended STANDARD (3 attempts, token bucket), where the SDK would still pick LEGACY (4).
                        .retryStrategy(RetryMode.resolver().defaultRetryMode(RetryMode.STANDARD).resolve())
                        .apiCallAttemptTimeout(timeouts.attempt())
                        .apiCallTimeout(timeouts.call()));
    }

    /** INCLUDE_RESOURCE_MODEL: whether the output carries ResourceModel, which can hold secrets (off unless set). */
    public static boolean includeResourceModel() {
        return envBoolean(System.getenv("INCLUDE_RESOURCE_MODEL"), "INCLUDE_RESOURCE_MODEL", false);
    }

    /** A true-or-false setting, {@code defaultValue} when unset; anything else fails the init, as envLong does. */
    static boolean envBoolean(String value, String name, boolean defaultValue) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(name + " must be true or false, got '" + value + "'");
        };
    }

    static long envLong(String name, long defaultValue) {
        return envLong(System.getenv(name), name, defaultValue, 1, Integer.MAX_VALUE, "milliseconds");
    }

    /**
     * A whole-number setting from the environment, {@code defaultValue} when unset. A set but wrong value fails
     * the init with its name, its rule and its value: a misconfigured function must not start on a guess.
     */
    static long envLong(String value, String name, long defaultValue, long min, long max, String unit) {
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notWhole) {
            // reported below, with the range
        }
        throw new IllegalStateException(name + " must be a whole number of " + unit + " from " + min + " to " + max
                + ", got '" + value + "'");
    }
}
