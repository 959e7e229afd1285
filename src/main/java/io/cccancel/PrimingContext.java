package io.cccancel;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;

/**
 * The Lambda context of SnapStart priming's offline invokes: the function's own name, version and memory (what
 * Powertools puts in its log fields), read once from the environment Lambda sets, and a priming request id.
 */
record PrimingContext(String getFunctionName, String getFunctionVersion, int getMemoryLimitInMB) implements Context {

    static final String PRIMING = "snapstart-priming";

    static PrimingContext fromEnvironment() {
        String memory = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
        return new PrimingContext(env("AWS_LAMBDA_FUNCTION_NAME", PRIMING), env("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST"),
                memory == null || memory.isBlank() ? 0 : Integer.parseInt(memory.trim()));
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    public String getAwsRequestId() {
        return PRIMING;
    }

    @Override
    public String getLogGroupName() {
        return PRIMING;
    }

    @Override
    public String getLogStreamName() {
        return PRIMING;
    }

    @Override
    public String getInvokedFunctionArn() {
        return PRIMING;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return 30_000;
    }

    /** Nothing in the handler or Powertools logs through it; priming's output goes nowhere anyway. */
    @Override
    public LambdaLogger getLogger() {
        return null;
    }
}
