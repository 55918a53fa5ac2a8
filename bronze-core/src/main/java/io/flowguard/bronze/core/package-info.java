/** The ingestion engine: {@link io.flowguard.bronze.core.IngestionEngine}, its configuration, states and meter names. */
package io.flowguard.bronze.core;
