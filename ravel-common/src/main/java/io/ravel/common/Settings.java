package io.ravel.common;

/**
 * Reads an operational setting from a system property, else from an environment variable, else its
 * default. Both daemons read their settings through here, so a bad value is refused the same way
 * everywhere: an {@link IllegalArgumentException} whose message is one line naming the setting,
 * which the command prints before it exits non-zero. A bad value never falls back silently.
 */
public final class Settings {

    private Settings() {
    }

    /**
     * A whole number &gt;= 0 in {@code unit} (used in the error message, e.g. "seconds").
     *
     * @throws IllegalArgumentException when the setting is present but not such a number
     */
    public static long nonNegative(String property, String env, long defaultValue, String unit) {
        String raw = raw(property, env);
        if (raw == null) {
            return defaultValue;
        }
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw new IllegalArgumentException(property + " (or " + env + ") must be a whole number of " + unit
                    + " (0 or more), not '" + raw.trim() + "'");
        }
        return value;
    }

    /**
     * One of the constants of {@code type}, named in any case ({@code copy} for {@code COPY}); empty when unset.
     *
     * @throws IllegalArgumentException when the setting is present but names no constant
     */
    public static <E extends Enum<E>> java.util.Optional<E> oneOf(String property, String env, Class<E> type) {
        String raw = raw(property, env);
        if (raw == null) {
            return java.util.Optional.empty();
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.trim())) {
                return java.util.Optional.of(constant);
            }
        }
        StringBuilder names = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            names.append(names.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw new IllegalArgumentException(property + " (or " + env + ") must be one of " + names + ", not '"
                + raw.trim() + "'");
    }

    private static String raw(String property, String env) {
        String raw = System.getProperty(property);
        if (raw == null || raw.isBlank()) {
            raw = System.getenv(env);
        }
        return raw == null || raw.isBlank() ? null : raw;
    }
}
