package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BronzeException;

/**
 * A batch would have dead-lettered more than the {@link io.flowguard.bronze.core.DeadLetterBreaker}'s fraction of its
 * records with one error class: nothing of the batch may be committed; the poll loop rewinds, pauses and reports DEGRADED
 * instead. The dead letters were not written, unless some rows of the batch had landed already (in bisected parts whose
 * ledger ranges cover the rejected rows before them): those are written before the trip, so that no covered offset is
 * left without its row or its dead letter.
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
