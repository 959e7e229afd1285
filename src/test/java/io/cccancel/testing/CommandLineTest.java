package io.cccancel.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.cccancel.bench.ChaosRun;
import io.cccancel.bench.SweepScaleRun;
import io.cccancel.emulator.CloudControlEmulator;
import io.cccancel.emulator.EmulatorOverheadBenchmark;
import io.cccancel.local.RunLocal;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
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
            "run      | --event nowhere.json            | --event: no file nowhere.json",
            "run      | --event events/step-functions-payload.json --max-polls 10 | --max-polls: "
                    + "events/step-functions-payload.json sets MaxPolls itself (360)",
            "sweep    | --retry-after-seconds 0         | --retry-after-seconds must be a whole number from 1 to 600",
            "sweep    | --rate 0                        | --rate must be a number above 0.0 and at most 10000.0",
            "sweep    | --max-concurrency 41            | --max-concurrency must be a whole number from 1 to 40",
            "sweep    | --requests                      | --requests needs a value",
            "chaos    | --seed abc                      | --seed must be a whole number from",
            "chaos    | --executions 0                  | --executions must be a whole number from 1 to 100000",
            "chaos    | --list --list                   | --list is given twice",
            "overhead | --calls 0                       | --calls must be a whole number from 1 to 1000000, got '0'",
            "overhead | --warmup x                      | --warmup must be a whole number from 0 to 1000000, got 'x'"})
    void toolsRefuseBadOptionsByName(String tool, String args, String message) {
        Consumer<String[]> parse = switch (tool) {
            case "run" -> RunLocal::parseOptions;
            case "emulator" -> CloudControlEmulator::parseOptions;
            case "sweep" -> SweepScaleRun.Options::parse;
            case "chaos" -> ChaosRun::parseOptions;
            case "overhead" -> EmulatorOverheadBenchmark::parseOptions;
            default -> throw new IllegalArgumentException(tool);
        };
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> parse.accept(args.trim().split("\\s+")));
        assertEquals(true, e.getMessage().startsWith(message), e.getMessage());
    }

    @Test
    void blankArgumentsBetweenOptionsAreSkippedButAValueMayBeEmpty() {
        CommandLine line = new CommandLine(new String[] {"", "--flags", "", " ", "--n", "3", ""});

        assertEquals("--flags", line.option());
        assertEquals("", line.anyValue("--flags"));
        assertEquals("--n", line.option());
        assertEquals(3, line.wholeNumber("--n", 1, 5));
        assertEquals(false, line.hasNext());
    }
}
