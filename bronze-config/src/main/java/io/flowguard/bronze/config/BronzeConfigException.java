package io.flowguard.bronze.config;

import java.util.List;

/**
 * The {@code bronze.*} configuration is invalid: {@link #problems()} lists every problem found, each naming the key and
 * how to fix it; the message joins them, one per line.
 *
 * @since 0.2.0
 */
public final class BronzeConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public BronzeConfigException(List<String> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    /** Every problem, in key order, each starting with the key it is about. */
    public List<String> problems() {
        return problems;
    }

    private static String message(List<String> problems) {
        return "invalid Bronze configuration (" + problems.size() + (problems.size() == 1 ? " problem" : " problems")
                + "):\n  - " + String.join("\n  - ", problems);
    }
}
