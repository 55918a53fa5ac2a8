/** Benchmark programs: throughput of the engine against a plain consumer, sink write rates. Not tests. */
package io.flowguard.bronze.benchmarks;
