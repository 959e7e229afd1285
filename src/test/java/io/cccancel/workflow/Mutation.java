package io.cccancel.workflow;

/** Breaks a copy of a real file on purpose, to show a check catches it. */
final class Mutation {

    private Mutation() {
    }

    /** {@code text} with its one occurrence of {@code from} replaced: a mutation that matches nothing proves nothing. */
    static String replaceOnce(String text, String from, String to) {
        int first = text.indexOf(from);
        if (first < 0 || text.indexOf(from, first + 1) >= 0) {
            throw new IllegalArgumentException("The mutation needs exactly one occurrence of: " + from);
        }
        return text.substring(0, first) + to + text.substring(first + from.length());
    }
}
