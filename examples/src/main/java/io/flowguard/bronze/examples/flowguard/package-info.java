/**
 * The FlowGuard example system around the library: an events gateway (HTTP to Kafka), the Silver views over the Bronze
 * tables, and the end-to-end demo ({@code bin/demo}).
 */
package io.flowguard.bronze.examples.flowguard;
