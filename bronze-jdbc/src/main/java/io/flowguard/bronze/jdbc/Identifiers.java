package io.flowguard.bronze.jdbc;

import java.util.regex.Pattern;

/** Validation of SQL identifiers, shared by every SQL sink (one rule for what a table, schema or column name may be). */
public final class Identifiers {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    static final int MAX_LENGTH = 255;

    private Identifiers() {}

    /**
     * Returns {@code identifier} when it is a plain SQL identifier, else throws naming {@code what}.
     *
     * @throws IllegalArgumentException when it is not {@code [A-Za-z_][A-Za-z0-9_$]*} of at most 255 characters
     * @since 0.2.0
     */
    public static String requireValid(String identifier, String what) {
        if (identifier == null
                || identifier.length() > MAX_LENGTH
                || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException(what + " must match [A-Za-z_][A-Za-z0-9_$]* (at most " + MAX_LENGTH
                    + " characters), but was '" + identifier + "'");
        }
        return identifier;
    }
}
