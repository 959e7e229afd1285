package io.cccancel.testing;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of the developer tools ({@code ./dev run}, {@code ./dev emulator}, {@code ./dev bench ...}), read one
 * at a time. Every bad one is an IllegalArgumentException whose message names the option and its rule, thrown
 * before the tool starts anything: a missing value (or another option where the value should be), a value that is
 * not a number or is out of range, an option given twice, an unknown option.
 */
public final class CommandLine {

    private final List<String> args;
    private final Set<String> repeatable;
    private final Set<String> seen = new HashSet<>();
    private int next;

    /** @param repeatable options that may be given more than once (each adds a value) */
    public CommandLine(String[] args, String... repeatable) {
        this.args = List.of(args);
        this.repeatable = Set.of(repeatable);
    }

    /** Whether an option follows. Blank arguments between options are skipped: `./dev` may pass one for none. */
    public boolean hasNext() {
        while (next < args.size() && args.get(next).isBlank()) {
            next++;
        }
        return next < args.size();
    }

    /** The next option. Given twice, the second would silently win: refused. */
    public String option() {
        hasNext();
        String option = args.get(next++);
        if (!seen.add(option) && !repeatable.contains(option)) {
            throw new IllegalArgumentException(option + " is given twice");
        }
        return option;
    }

    /** The value after {@code option}: not missing, and not the next option. */
    public String value(String option) {
        if (next >= args.size() || args.get(next).startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(next++);
    }

    /** Any value, even one that starts with {@code --} or is empty: JVM flags, for one. */
    public String anyValue(String option) {
        if (next >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(next++);
    }

    /** {@code NAME=VALUE}, the name not empty. */
    public String nameValue(String option) {
        String value = value(option);
        if (value.indexOf('=') < 1) {
            throw new IllegalArgumentException(option + " must be NAME=VALUE, got '" + value + "'");
        }
        return value;
    }

    /** A whole number from {@code min} to {@code max}. */
    public int wholeNumber(String option, int min, int max) {
        return (int) wholeLong(option, min, max);
    }

    /** A whole number from {@code min} to {@code max}, of any size a long holds. */
    public long wholeLong(String option, long min, long max) {
        String value = value(option);
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notWhole) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(option + " must be a whole number from " + min + " to " + max
                + ", got '" + value + "'");
    }

    /** A number (fractions allowed) above {@code min}, at most {@code max}. */
    public double numberAbove(String option, double min, double max) {
        String value = value(option);
        try {
            double n = Double.parseDouble(value);
            if (n > min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below, with the range
        }
        throw new IllegalArgumentException(option + " must be a number above " + min + " and at most " + max
                + ", got '" + value + "'");
    }

    /**
     * What a tool's {@code main} does with its options: parsed, or the tool's name, the message and {@code hint} on
     * stderr and exit status 2, before anything has started.
     */
    public static <T> T parseOrExit(String tool, String hint, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            System.err.println(tool + ": " + e.getMessage() + hint);
            System.exit(2);
            throw e; // not reached
        }
    }

    public static IllegalArgumentException unknown(String option) {
        return new IllegalArgumentException("unknown option " + option);
    }
}
