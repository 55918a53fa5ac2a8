/** Runnable examples: the README quick start and the FlowGuard demo on embedded defaults. */
package io.flowguard.bronze.examples;
