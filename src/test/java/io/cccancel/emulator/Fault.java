package io.cccancel.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * What the emulator does to one call instead of (or before) answering it normally. Script them per operation with
 * {@link CloudControlEmulator#faultNext} or draw them at random with a {@link ChaosSchedule}.
 */
public sealed interface Fault {

    /** An error answer: {@code {"__type": type, "Message": ...}} with this HTTP status and x-amzn-ErrorType. */
    record Error(String type, int httpStatus, String message) implements Fault {
        public Error {
            Objects.requireNonNull(type, "type");
        }
    }

    /** A status with an empty body and no error type, as a load balancer in front of a service might answer. */
    record BareStatus(int httpStatus) implements Fault {
    }

    /** A 200 answer with this body instead of the operation's, as a faulty service or proxy might give it. */
    record Answer(String body) implements Fault {
        public Answer {
            Objects.requireNonNull(body, "body");
        }
    }

    /** Waits (real time) before answering normally. */
    record Delay(Duration delay) implements Fault {
        public Delay {
            Objects.requireNonNull(delay, "delay");
        }
    }

    /** Closes the connection without writing any response. */
    record DropConnection() implements Fault {
    }

    /** Any Cloud Control error type, with the HTTP status the service uses for it (400 when unknown). */
    static Fault error(String type) {
        return new Error(type, ErrorTypes.httpStatus(type), null);
    }

    /** An error type with a chosen HTTP status, e.g. RequestTokenNotFoundException as 404 or Throttling as 429. */
    static Fault error(String type, int httpStatus) {
        return new Error(type, httpStatus, null);
    }

    /** ThrottlingException, HTTP 400, "Rate exceeded". */
    static Fault throttling() {
        return new Error("ThrottlingException", 400, "Rate exceeded");
    }

    /** ConcurrentModificationException, HTTP 500. */
    static Fault concurrentModification() {
        return error("ConcurrentModificationException");
    }

    /** ServiceInternalErrorException, HTTP 502. */
    static Fault serviceInternalError() {
        return error("ServiceInternalErrorException");
    }

    /** A bare HTTP 503 with an empty body. */
    static Fault serviceUnavailable() {
        return new BareStatus(503);
    }

    /** RequestTokenNotFoundException even though the emulator knows the token. */
    static Fault requestTokenNotFound() {
        return error("RequestTokenNotFoundException");
    }

    /** AccessDeniedException, HTTP 400. */
    static Fault accessDenied() {
        return error("AccessDeniedException");
    }

    /** A bare HTTP status with an empty body, e.g. a 401 as HttpURLConnection shows it: no error type, no message. */
    static Fault bareStatus(int httpStatus) {
        return new BareStatus(httpStatus);
    }

    /** A 200 whose body is this instead of the operation's answer. */
    static Fault answer(String body) {
        return new Answer(body);
    }

    static Fault delay(Duration delay) {
        return new Delay(delay);
    }

    static Fault dropConnection() {
        return new DropConnection();
    }
}
