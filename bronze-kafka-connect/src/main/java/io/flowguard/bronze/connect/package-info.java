/** A Kafka Connect sink connector that lands records through the Bronze SQL sinks. */
package io.flowguard.bronze.connect;
