package io.cccancel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The function's whole-number settings: unset is the default; set but wrong fails the init naming the rule. */
class EnvironmentSettingsTest {

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void unsetIsTheDefault(String value) {
        assertEquals(12_000, DependencyFactory.envLong(value, "CLOUDCONTROL_CALL_TIMEOUT_MS", 12_000, 1,
                Integer.MAX_VALUE, "milliseconds"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({"CLOUDCONTROL_CALL_TIMEOUT_MS, 8000, 8000", "INIT_PRIMING_ROUNDS, 0, 0", "INIT_PRIMING_ROUNDS, ' 7 ', 7"})
    void aWholeNumberInRangeIsTaken(String name, String value, long expected) {
        long min = name.endsWith("_MS") ? 1 : 0;
        assertEquals(expected, DependencyFactory.envLong(value, name, 3, min, 10_000, "units"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"abc", "1.5", "-1", "10001", "99999999999999999999"})
    void anythingElseNamesTheVariableTheRuleAndTheValue(String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> DependencyFactory.envLong(value, "INIT_PRIMING_ROUNDS", 3, 0, 10_000, "rounds"));
        assertEquals("INIT_PRIMING_ROUNDS must be a whole number of rounds from 0 to 10000, got '" + value + "'",
                e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0", "-5", "soon"})
    void aTimeoutMustBeAtLeastOneMillisecond(String value) {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> DependencyFactory.envLong(value,
                "CLOUDCONTROL_ATTEMPT_TIMEOUT_MS", 5_000, 1, Integer.MAX_VALUE, "milliseconds"));
        assertEquals("CLOUDCONTROL_ATTEMPT_TIMEOUT_MS must be a whole number of milliseconds from 1 to 2147483647, "
                + "got '" + value + "'", e.getMessage());
    }
}
