package io.ravel.node.cli;

/** Strips one pair of surrounding quotes that a caller without a shell may leave on a flag value. */
final class Unquote {

    private Unquote() {
    }

    static String of(String value) {
        String v = value.trim();
        if (v.length() >= 2 && ((v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'")))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
