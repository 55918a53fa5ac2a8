/** Test support for FlowGuard Bronze: in-memory and fault-injecting sinks, an in-JVM Kafka broker and the sink contract suite. */
package io.flowguard.bronze.testkit;
