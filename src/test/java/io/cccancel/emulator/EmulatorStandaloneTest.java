package io.cccancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.CloudControlException;
import software.amazon.awssdk.services.cloudcontrol.model.OperationStatus;

/** `CloudControlEmulator --port N --seed N` in its own JVM: prints its endpoint, then serves until killed. */
class EmulatorStandaloneTest {

    @Test
    void standaloneMainPrintsItsEndpointAndServesSeededRequests() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                CloudControlEmulator.class.getName(), "--port", "0", "--seed", "1")
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String listening = out.readLine();
            assertTrue(listening != null && listening.startsWith("Cloud Control emulator listening on http://127.0.0.1:"),
                    String.valueOf(listening));
            URI endpoint = URI.create(listening.substring(listening.indexOf("http://")));
            String seeded = out.readLine();
            assertTrue(seeded.startsWith("seeded RequestToken "), seeded);
            String token = seeded.substring("seeded RequestToken ".length());

            try (CloudControlClient client = CloudControlClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                    .build()) {
                assertEquals(OperationStatus.CANCEL_IN_PROGRESS,
                        client.cancelResourceRequest(r -> r.requestToken(token)).progressEvent().operationStatus());
            }
            try (CloudControlClient unsigned = CloudControlClient.builder().endpointOverride(endpoint)
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(AnonymousCredentialsProvider.create()).build()) {
                CloudControlException e = assertThrows(CloudControlException.class,
                        () -> unsigned.getResourceRequestStatus(r -> r.requestToken(token)));
                assertEquals(403, e.statusCode());
                assertEquals("MissingAuthenticationTokenException", e.awsErrorDetails().errorCode());
            }
        } finally {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
