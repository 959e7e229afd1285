package io.cccancel.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every state machine definition, after its DefinitionSubstitutions, passes both asl-validator and
 * amazon-states-language-service (cfn-lint does not read the file named by DefinitionUri); planted mistakes of the
 * kinds each validator alone catches are reported, so both are really wired in.
 */
class AslValidationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CANCEL = WorkflowChecks.CANCEL_STATE_MACHINE;

    @TempDir
    Path dir;

    @Test
    void everyDefinitionPassesBothValidators() throws IOException {
        SamTemplate template = SamTemplate.load();
        for (String stateMachine : template.stateMachines()) {
            ExternalTool.Result result = ExternalTool.validateAsl(
                    substitutions(template.sampleSubstitutions(stateMachine)),
                    List.of(template.definitionFile(stateMachine)));

            assertEquals(0, result.exitCode(), stateMachine + ":\n" + result.output());
        }
    }

    @Test
    void aNextToAStateThatDoesNotExistIsReportedByBothValidators() throws IOException {
        ExternalTool.Result result = validateMutated(
                "\"Next\": \"CheckOperationStatus\"\n    },\n    \"CancelComplete\"",
                "\"Next\": \"CheckOperationStatuss\"\n    },\n    \"CancelComplete\"");

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("asl-validator: MISSING_TRANSITION_TARGET"), result.output());
        assertTrue(result.output().contains("amazon-states-language-service: line"), result.output());
    }

    @Test
    void aMalformedPathIsReportedByAslValidator() throws IOException {
        ExternalTool.Result result = validateMutated(
                "\"SecondsPath\": \"$.PollIntervalSeconds\"", "\"SecondsPath\": \"$.PollIntervalSeconds[\"");

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("asl-validator: SCHEMA_VALIDATION_FAILED: /States/WaitPollInterval/SecondsPath"),
                result.output());
    }

    @Test
    void aStateNothingLeadsToIsReportedByTheLanguageService() throws IOException {
        ExternalTool.Result result = validateMutated("\"States\": {\n",
                "\"States\": {\n    \"Forgotten\": { \"Type\": \"Succeed\" },\n");

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("amazon-states-language-service")
                && result.output().contains("cannot be reached"), result.output());
    }

    @Test
    void aJitterStrategyStepFunctionsDoesNotKnowIsReportedByTheLanguageService() throws IOException {
        ExternalTool.Result result = validateMutated(
                "\"JitterStrategy\": \"FULL\"\n        },\n        {\n          \"ErrorEquals\": [\n            \"Lambda.TooManyRequestsException\"",
                "\"JitterStrategy\": \"FUL\"\n        },\n        {\n          \"ErrorEquals\": [\n            \"Lambda.TooManyRequestsException\"");

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("Valid values: \"FULL\", \"NONE\""), result.output());
    }

    @Test
    void substitutionIsTextualSoAValueThatBreaksTheJsonIsReported() throws IOException {
        SamTemplate template = SamTemplate.load();
        Map<String, String> breaking = new LinkedHashMap<>(template.sampleSubstitutions(CANCEL));
        breaking.put("CancelFunctionAliasArn", "arn:aws:lambda:us-east-1:123456789012:function:x\"");

        ExternalTool.Result result = ExternalTool.validateAsl(substitutions(breaking),
                List.of(template.definitionFile(CANCEL)));

        assertEquals(1, result.exitCode(), result.output());
        assertTrue(result.output().contains("not valid JSON after substitution"), result.output());
    }

    /** Validates a copy of the cancel workflow's definition with one planted mistake. */
    private ExternalTool.Result validateMutated(String from, String to) throws IOException {
        SamTemplate template = SamTemplate.load();
        Path definition = template.definitionFile(CANCEL);
        Path mutated = Files.writeString(dir.resolve(definition.getFileName()),
                Mutation.replaceOnce(Files.readString(definition), from, to));
        return ExternalTool.validateAsl(substitutions(template.sampleSubstitutions(CANCEL)), List.of(mutated));
    }

    private Path substitutions(Map<String, String> values) throws IOException {
        return Files.writeString(Files.createTempFile(dir, "substitutions", ".json"), JSON.writeValueAsString(values));
    }
}
