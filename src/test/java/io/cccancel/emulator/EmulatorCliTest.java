package io.cccancel.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;

/** The AWS CLI pointed at the emulator with --endpoint-url, as a user would; skipped where no `aws` is installed. */
class EmulatorCliTest {

    // A clock on a millisecond ending in 0 on purpose: the CLI prints timestamps as Python floats (….470 -> ….47),
    // which once made this test fail only when the wall clock happened to land there.
    @AutoClose
    private final CloudControlEmulator emulator =
            CloudControlEmulator.start(new ManualClock(Instant.parse("2026-11-24T10:30:46.470Z")));

    @BeforeAll
    static void needsTheAwsCli() {
        boolean present = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws")));
        Assumptions.assumeTrue(present, "the AWS CLI (`aws`) is not on PATH: skipping the CLI tests");
    }

    private record Result(int exitCode, String stdout, String stderr) {
    }

    private Result aws(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("aws", "cloudcontrol"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", emulator.endpoint().toString(), "--region", "us-east-1",
                "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "AKIDCLITEST");
        env.put("AWS_SECRET_ACCESS_KEY", "cli-test-secret");
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        Path err = Files.createTempFile("aws-cli", ".err");
        try {
            Process process = builder.redirectError(err.toFile()).start();
            String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "aws did not finish");
            return new Result(process.exitValue(), stdout, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }

    @Test
    void getResourceRequestStatusPrintsTheEventWithEpochSecondTimestamps() throws Exception {
        String token = emulator.startRequest(SeedRequest.of("DELETE", "AWS::S3::Bucket", "cli-bucket"));

        Result result = aws("get-resource-request-status", "--request-token", token);
        assertEquals(0, result.exitCode(), result.stderr());
        Map<String, JsonNode> event = JsonNode.parser().parse(result.stdout()).asObject().get("ProgressEvent").asObject();
        assertEquals(token, event.get("RequestToken").asString());
        assertEquals("PENDING", event.get("OperationStatus").asString());
        assertEquals("cli-bucket", event.get("Identifier").asString());
        // The CLI (v1) prints the timestamps it received as numbers: epoch seconds with the millisecond fraction.
        assertSameEpochSeconds(emulator.now(), event.get("EventTime").asNumber());
        assertSameEpochSeconds(emulator.now().plusSeconds(5), event.get("RetryAfter").asNumber());
    }

    private static void assertSameEpochSeconds(Instant expected, String printed) {
        assertEquals(0, new BigDecimal(Wire.epochSeconds(expected)).compareTo(new BigDecimal(printed)),
                () -> "expected " + Wire.epochSeconds(expected) + " but the CLI printed " + printed);
    }

    @Test
    void cancelThenListWithAFilterFollowsEveryPage() throws Exception {
        List<String> tokens = emulator.seedRequests(12, SeedRequest.of("UPDATE", "AWS::SQS::Queue", "q"));
        assertEquals(0, aws("cancel-resource-request", "--request-token", tokens.get(0)).exitCode());

        Result result = aws("list-resource-requests", "--page-size", "5",
                "--resource-request-status-filter", "OperationStatuses=PENDING,CANCEL_IN_PROGRESS");
        assertEquals(0, result.exitCode(), result.stderr());
        List<JsonNode> summaries = JsonNode.parser().parse(result.stdout()).asObject()
                .get("ResourceRequestStatusSummaries").asArray();
        assertEquals(tokens, summaries.stream().map(s -> s.asObject().get("RequestToken").asString()).toList());
        assertEquals("CANCEL_IN_PROGRESS", summaries.get(0).asObject().get("OperationStatus").asString());
        assertEquals(3, emulator.callCount(ApiOperation.ListResourceRequests), "12 requests in pages of 5");
        assertEquals(1, emulator.acceptedCancels(tokens.get(0)));
    }

    @Test
    void anUnknownTokenIsReportedByName() throws Exception {
        Result result = aws("get-resource-request-status", "--request-token", "no-such-token");
        assertTrue(result.exitCode() != 0, "the CLI fails (v1: 255, v2: 254)");
        assertTrue(result.stderr().contains("RequestTokenNotFoundException"), result.stderr());
    }
}
