package io.flowguard.bronze.jdbc;

import java.util.regex.Pattern;

/** Validation of SQL identifiers shared by the value types of this package. */
final class Identifiers {
    static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_$]*");
    static final int MAX_LENGTH = 255;

    private Identifiers() {
    }

    static String requireValid(String identifier, String what) {
        if (identifier == null || identifier.length() > MAX_LENGTH || !IDENTIFIER.matcher(identifier).matches()) {
            throw new IllegalArgumentException(what + " must match [A-Za-z_][A-Za-z0-9_$]* (at most " + MAX_LENGTH
                    + " characters), but was '" + identifier + "'");
        }
        return identifier;
    }
}
