package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BronzeException;

/**
 * A batch would have dead-lettered more than the {@link io.flowguard.bronze.core.DeadLetterBreaker}'s fraction of its
 * records with one error class: the dead letters were not written and nothing of the batch may be committed; the poll
 * loop rewinds, pauses and reports DEGRADED instead.
 */
final class SystemicDeadLettersException extends BronzeException {
    private static final long serialVersionUID = 1L;

    private final String errorClass;

    SystemicDeadLettersException(String message, String errorClass) {
        super(message, null, true);
        this.errorClass = errorClass;
    }

    String errorClass() {
        return errorClass;
    }
}
