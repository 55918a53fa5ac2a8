/** The public API of FlowGuard Bronze: the record envelope, sinks, dead letters, idempotency keys, metadata and routing rules. */
package io.flowguard.bronze.api;
