package io.cccancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.cloudcontrol.CloudControlClient;
import software.amazon.awssdk.services.cloudcontrol.model.CloudControlException;

/** The AWS JSON 1.0 wire format itself: raw HTTP for headers and body shape, the SDK for validation errors. */
class EmulatorWireTest {

    @AutoClose
    private final CloudControlEmulator emulator = CloudControlEmulator.start();
    @AutoClose
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> post(String target, String body, boolean signed) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (target != null) {
            request.header("X-Amz-Target", target);
        }
        if (signed) {
            request.header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/cloudcontrolapi/aws4_request, SignedHeaders=host, Signature=00");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, JsonNode> json(HttpResponse<String> response) {
        return JsonNode.parser().parse(response.body()).asObject();
    }

    @Test
    void responsesAreAwsJson10WithRequestIdAndEpochSecondTimestamps() throws Exception {
        String token = emulator.startRequest("DELETE", "AWS::S3::Bucket", "b");
        HttpResponse<String> response = post("CloudApiService.GetResourceRequestStatus",
                "{\"RequestToken\":\"" + token + "\"}", true);

        assertEquals(200, response.statusCode());
        assertEquals("application/x-amz-json-1.0", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.headers().firstValue("x-amzn-RequestId").isPresent());
        Map<String, JsonNode> event = json(response).get("ProgressEvent").asObject();
        assertTrue(event.get("EventTime").isNumber(), response.body());
        assertTrue(event.get("RetryAfter").isNumber(), response.body());
        assertTrue(event.get("EventTime").asNumber().matches("\\d+\\.\\d{3}"), response.body());
        assertEquals(emulator.now().toEpochMilli(),
                (long) (Double.parseDouble(event.get("EventTime").asNumber()) * 1000 + 0.5));
        assertEquals("PENDING", event.get("OperationStatus").asString());
        assertFalse(event.containsKey("StatusMessage"), "absent fields are omitted, not null: " + response.body());
        assertFalse(event.containsKey("ErrorCode"));
        assertFalse(event.containsKey("ResourceModel"));
        assertFalse(event.containsKey("HooksRequestToken"));
    }

    @Test
    void errorsCarryTypeInBodyAndHeader() throws Exception {
        HttpResponse<String> response = post("CloudApiService.GetResourceRequestStatus",
                "{\"RequestToken\":\"unknown\"}", true);
        assertEquals(400, response.statusCode());
        assertEquals("RequestTokenNotFoundException", response.headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals("RequestTokenNotFoundException", json(response).get("__type").asString());
        assertTrue(json(response).get("Message").asString().contains("unknown"));
    }

    @Test
    void unknownTargetIsUnknownOperationException() throws Exception {
        HttpResponse<String> response = post("CloudApiService.DescribeEverything", "{}", true);
        assertEquals(400, response.statusCode());
        assertEquals("UnknownOperationException", json(response).get("__type").asString());
        assertEquals("UnknownOperationException", post(null, "{}", true).headers().firstValue("x-amzn-ErrorType").orElseThrow());
        assertEquals(1, emulator.callCounts().get("DescribeEverything"));
    }

    @Test
    void missingAuthorizationIsMissingAuthenticationToken() throws Exception {
        HttpResponse<String> response = post("CloudApiService.GetResourceRequestStatus", "{\"RequestToken\":\"t\"}", false);
        assertEquals(403, response.statusCode());
        assertEquals("MissingAuthenticationTokenException", json(response).get("__type").asString());
    }

    @Test
    void malformedJsonIsSerializationException() throws Exception {
        HttpResponse<String> response = post("CloudApiService.GetResourceRequestStatus", "{not json", true);
        assertEquals(400, response.statusCode());
        assertEquals("SerializationException", json(response).get("__type").asString());
        assertEquals("SerializationException",
                json(post("CloudApiService.GetResourceRequestStatus", "{\"RequestToken\":5}", true)).get("__type").asString());
    }

    @Test
    void epochSecondsKeepMillisecondFractions() {
        assertEquals("1632950268.481", Wire.epochSeconds(Instant.ofEpochMilli(1632950268481L)));
        assertEquals("1632950268.005", Wire.epochSeconds(Instant.ofEpochMilli(1632950268005L)));
        assertEquals("1632950268.000", Wire.epochSeconds(Instant.ofEpochSecond(1632950268L)));
    }

    // Validation, through the real SDK (which does not validate lengths or patterns itself).

    private CloudControlException validationError(java.util.function.Consumer<CloudControlClient> call) {
        try (CloudControlClient client = emulator.newClientWithoutRetries()) {
            CloudControlException e = assertThrows(CloudControlException.class, () -> call.accept(client));
            assertEquals(400, e.statusCode());
            assertEquals("ValidationException", e.awsErrorDetails().errorCode());
            return e;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "semi;colon", "under_score"})
    void requestTokenOutsideThePatternIsAValidationErrorNamingTheMember(String token) {
        String message = validationError(c -> c.cancelResourceRequest(r -> r.requestToken(token)))
                .awsErrorDetails().errorMessage();
        assertTrue(message.contains("'requestToken'") && message.contains("regular expression pattern"), message);
    }

    @Test
    void requestTokenLengthIsOneTo128() {
        String message = validationError(c -> c.getResourceRequestStatus(r -> r.requestToken("a".repeat(129))))
                .awsErrorDetails().errorMessage();
        assertTrue(message.contains("'requestToken'") && message.contains("less than or equal to 128"), message);
        validationError(c -> c.getResourceRequestStatus(r -> r.requestToken("")));
        try (CloudControlClient client = emulator.newClientWithoutRetries()) {
            String longest = "A+/=-".repeat(25) + "abc";
            assertThrows(software.amazon.awssdk.services.cloudcontrol.model.RequestTokenNotFoundException.class,
                    () -> client.getResourceRequestStatus(r -> r.requestToken(longest)), "128 chars is valid");
        }
    }

    @Test
    void missingRequiredMembersAreNamed() {
        String message = validationError(c -> c.cancelResourceRequest(r -> { })).awsErrorDetails().errorMessage();
        assertTrue(message.contains("'requestToken'") && message.contains("must not be null"), message);
        String create = validationError(c -> c.createResource(r -> { })).awsErrorDetails().errorMessage();
        assertTrue(create.startsWith("2 validation errors detected"), create);
        assertTrue(create.contains("'typeName'") && create.contains("'desiredState'"), create);
        String update = validationError(c -> c.updateResource(r -> r.typeName("AWS::S3::Bucket").identifier("b")))
                .awsErrorDetails().errorMessage();
        assertTrue(update.contains("'patchDocument'"), update);
        String delete = validationError(c -> c.deleteResource(r -> r.typeName("AWS::S3::Bucket")))
                .awsErrorDetails().errorMessage();
        assertTrue(delete.contains("'identifier'"), delete);
        String typeName = validationError(c -> c.deleteResource(r -> r.typeName("S3Bucket!").identifier("b")))
                .awsErrorDetails().errorMessage();
        assertTrue(typeName.contains("'typeName'"), typeName);
    }

    @Test
    void maxResultsIsOneTo100() {
        String message = validationError(c -> c.listResourceRequests(r -> r.maxResults(101))).awsErrorDetails().errorMessage();
        assertTrue(message.contains("'maxResults'") && message.contains("less than or equal to 100"), message);
        validationError(c -> c.listResourceRequests(r -> r.maxResults(0)));
    }

    @Test
    void filterValuesMustBeKnownOperationsAndStatuses() {
        String message = validationError(c -> c.listResourceRequests(r -> r.resourceRequestStatusFilter(
                f -> f.operationStatusesWithStrings("DONE")))).awsErrorDetails().errorMessage();
        assertTrue(message.contains("'resourceRequestStatusFilter.operationStatuses'"), message);
    }

    @Test
    void sensitiveValuesAreNotEchoedInValidationMessages() {
        String secret = "x".repeat(262_145);
        String message = validationError(c -> c.createResource(r -> r.typeName("AWS::S3::Bucket").desiredState(secret)))
                .awsErrorDetails().errorMessage();
        assertTrue(message.contains("'desiredState'"), message);
        assertFalse(message.contains("xxxx"), "DesiredState can hold secrets");
        assertNotNull(message);
    }
}
