package io.flowguard.bronze.core.internal;

import io.flowguard.bronze.api.BronzeException;

/** A batch could not be written within the retry budget; the engine fails without committing it. */
final class BatchFailedException extends BronzeException {
    private static final long serialVersionUID = 1L;

    BatchFailedException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
