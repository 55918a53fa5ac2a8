package io.flowguard.bronze.core.internal;

/** What writing one batch did: records landed (new or already present), newly inserted, dead-lettered and skipped. */
record BatchResult(int landed, int inserted, int deadLettered, int skipped, int attempts) {}
