package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.SeedRequest;
import io.cccancel.testing.OnDemandContainer;
import io.cccancel.testing.TestContext;
import io.cccancel.workflow.SamTemplate;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * INCLUDE_RESOURCE_MODEL as the template sets it: read under its real name by the constructor Lambda calls, in a
 * fresh JVM. Off unless set, since ResourceModel can hold secrets; set to anything but true or false, the init fails.
 */
class IncludeResourceModelTest {

    private static final String OUTPUT = "--- output: ";
    private static final String SECRET = "hunter2-not-for-logs";

    /** The container: Lambda's constructor, then one invoke; prints what the function returned. */
    public static void main(String[] args) throws Exception {
        CancelResourceRequestHandler handler = new CancelResourceRequestHandler();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(("{\"RequestToken\":\"" + args[0] + "\"}")
                .getBytes(StandardCharsets.UTF_8)), output, new TestContext());
        System.out.println(OUTPUT + output.toString(StandardCharsets.UTF_8));
    }

    @Test
    void trueReturnsTheResourceModelAndStillNeverLogsIt() throws Exception {
        String container = runWith(Map.of("INCLUDE_RESOURCE_MODEL", "true"));

        String output = container.substring(container.indexOf(OUTPUT));
        assertTrue(output.contains("\"ResourceModel\":\"{\\\"MasterUserPassword\\\":\\\"" + SECRET), output);
        assertFalse(container.substring(0, container.indexOf(OUTPUT)).contains(SECRET), "logs: " + container);
    }

    @Test
    void theTemplateSetsTheVariableUnderTheNameTheFunctionReads() {
        Map<String, Object> environment = SamTemplate.load().environmentVariables("CancelResourceRequestFunction");

        assertEquals(Map.of("Ref", "IncludeResourceModel"), environment.get("INCLUDE_RESOURCE_MODEL"),
                environment::toString);
    }

    @Test
    void unsetLeavesTheResourceModelOut() throws Exception {
        Map<String, String> unset = new HashMap<>();
        unset.put("INCLUDE_RESOURCE_MODEL", null); // even when the shell running the tests has it set
        String container = runWith(unset);

        assertTrue(container.contains(OUTPUT + "{\"ProgressEvent\":"), container);
        assertFalse(container.contains("ResourceModel") || container.contains(SECRET), container);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(value = {"true, true", "TRUE, true", "' false ', false", "'', false", "NULL, false"},
            nullValues = "NULL")
    void trueOrFalseInAnyCaseAndUnsetIsFalse(String value, boolean expected) {
        assertEquals(expected, DependencyFactory.envBoolean(value, "INCLUDE_RESOURCE_MODEL", false));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"yes", "1", "on", "tru"})
    void anythingElseFailsNamingTheVariableAndTheRule(String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DependencyFactory.envBoolean(value, "INCLUDE_RESOURCE_MODEL", false));
        assertEquals("INCLUDE_RESOURCE_MODEL must be true or false, got '" + value + "'", e.getMessage());
    }

    private static String runWith(Map<String, String> settings) throws Exception {
        try (CloudControlEmulator emulator = CloudControlEmulator.start()) {
            String token = emulator.startRequest(SeedRequest.of("CREATE", "AWS::RDS::DBInstance", "db")
                    .withResourceModel("{\"MasterUserPassword\":\"" + SECRET + "\"}"));
            Map<String, String> environment = new HashMap<>(settings);
            environment.put("AWS_ENDPOINT_URL_CLOUDCONTROL", emulator.endpoint().toString());
            environment.put("INIT_PRIMING_ROUNDS", "0");
            return OnDemandContainer.run(IncludeResourceModelTest.class, environment, List.of(token));
        }
    }
}
