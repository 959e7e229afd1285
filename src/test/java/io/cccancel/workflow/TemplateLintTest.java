package io.cccancel.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cfn-lint (with the SAM translator) finds no error and no warning in template.yaml, and does find planted ones. */
class TemplateLintTest {

    @Test
    void templateHasNoCfnLintErrorsOrWarnings() {
        ExternalTool.Result lint = cfnLint(SamTemplate.PATH);

        assertEquals("", lint.output().strip(), "cfn-lint findings in template.yaml");
        assertEquals(0, lint.exitCode(), "cfn-lint exit code");
    }

    @Test
    void cfnLintReportsAReferenceToAResourceThatDoesNotExist(@TempDir Path dir) throws IOException {
        Path broken = write(dir, Mutation.replaceOnce(Files.readString(SamTemplate.PATH),
                "Resource: !GetAtt CancelResourceRequestDeadLetterQueue.Arn",
                "Resource: !GetAtt CancelResourceRequestDeadLetterQueues.Arn"));

        ExternalTool.Result lint = cfnLint(broken);

        assertNotEquals(0, lint.exitCode(), lint.output());
        assertTrue(lint.output().contains("CancelResourceRequestDeadLetterQueues"), lint.output());
    }

    @Test
    void cfnLintReportsARuntimeLambdaDoesNotHave(@TempDir Path dir) throws IOException {
        Path broken = write(dir, Mutation.replaceOnce(Files.readString(SamTemplate.PATH),
                "CancelResourceRequestHandler\n      Runtime: java21",
                "CancelResourceRequestHandler\n      Runtime: java20"));

        ExternalTool.Result lint = cfnLint(broken);

        assertNotEquals(0, lint.exitCode(), lint.output());
        assertTrue(lint.output().contains("java20"), lint.output());
    }

    private static ExternalTool.Result cfnLint(Path template) {
        var lint = ExternalTool.run(List.of("cfn-lint", template.toString()));
        if (lint.isEmpty()) {
            String message = "cfn-lint is not installed (pip install cfn-lint): template.yaml was NOT linted";
            System.err.println("SKIPPED: " + message);
            Assumptions.abort(message);
        }
        return lint.get();
    }

    private static Path write(Path dir, String template) throws IOException {
        return Files.writeString(dir.resolve("template.yaml"), template);
    }
}
