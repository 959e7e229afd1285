package io.cccancel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.local.RunLocal;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The developer tools refuse bad options naming the option and the rule, before they start anything (no emulator,
 * no workflow). The cold-start benchmark's options are checked in ReportTest.
 */
class CommandLineTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "emulator | --port                          | --port needs a value",
            "emulator | --port --seed 3                 | --port needs a value",
            "emulator | --port x                        | --port must be a whole number from 0 to 65535, got 'x'",
            "emulator | --port 70000                    | --port must be a whole number from 0 to 65535, got '70000'",
            "emulator | --seed -1                       | --seed must be a whole number from 0 to 100000, got '-1'",
            "emulator | --seed 2 --seed 3               | --seed is given twice",
            "emulator | --verbose                       | unknown option --verbose",
            "run      | --poll-interval 0     | --poll-interval must be a whole number from 1 to 600, got '0'",
            "run      | --poll-interval 700   | --poll-interval must be a whole number from 1 to 600, got '700'",
            "run      | --max-polls 5000      | --max-polls must be a whole number from 1 to 1000, got '5000'",
            "run      | --max-polls 1.5       | --max-polls must be a whole number from 1 to 1000, got '1.5'",
            "run      | --token --fast                  | --token needs a value",
            "run      | --fast --fast                   | --fast is given twice",
            "run      | --scenario stuck --max-polls 10 | --max-polls: scenario stuck sets MaxPolls itself (3)",
            "run      | --scenario nope                 | No scenario 'nope'",
            "run      | --event nowhere.json            | --event: no file nowhere.json"})
    void toolsRefuseBadOptionsByName(String tool, String args, String message) {
        Consumer<String[]> parse = tool.equals("run") ? RunLocal::parseOptions : CloudControlEmulator::parseOptions;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse.accept(args.trim().split("\\s+")));
        assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
    }
}
