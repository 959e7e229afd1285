package io.cccancel.emulator;

import java.util.Map;

/** The HTTP status each Cloud Control error type is answered with (FACTS.md; see the choices noted below). */
final class ErrorTypes {

    private static final Map<String, Integer> STATUS = Map.ofEntries(
            Map.entry("AlreadyExistsException", 400),
            Map.entry("GeneralServiceException", 400),
            Map.entry("InvalidRequestException", 400),
            Map.entry("NotStabilizedException", 400),
            Map.entry("NotUpdatableException", 400),
            Map.entry("PrivateTypeException", 400),
            Map.entry("ServiceLimitExceededException", 400),
            Map.entry("ValidationException", 400),
            Map.entry("SerializationException", 400),
            Map.entry("UnknownOperationException", 400),
            Map.entry("AccessDeniedException", 400),
            // AWS JSON services answer throttling with 400 (the Smithy list says 429): both map to the same SDK type.
            Map.entry("ThrottlingException", 400),
            // 400 in the API reference, 404 in the Smithy model; Fault.error(type, 404) gives the other one.
            Map.entry("RequestTokenNotFoundException", 400),
            Map.entry("InvalidCredentialsException", 401),
            Map.entry("MissingAuthenticationTokenException", 403),
            Map.entry("ResourceNotFoundException", 404),
            Map.entry("TypeNotFoundException", 404),
            Map.entry("UnsupportedActionException", 405),
            Map.entry("ClientTokenConflictException", 409),
            Map.entry("ConcurrentOperationException", 409),
            Map.entry("ResourceConflictException", 409),
            Map.entry("ConcurrentModificationException", 500),
            Map.entry("InternalFailure", 500),
            Map.entry("HandlerFailureException", 502),
            Map.entry("HandlerInternalFailureException", 502),
            Map.entry("NetworkFailureException", 502),
            Map.entry("ServiceInternalErrorException", 502));

    private ErrorTypes() {
    }

    static int httpStatus(String errorType) {
        return STATUS.getOrDefault(errorType, 400);
    }
}
