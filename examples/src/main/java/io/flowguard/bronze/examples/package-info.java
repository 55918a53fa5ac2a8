/** Runnable examples: the README quick start; the FlowGuard system (gateway, Silver views, demo) is in {@code .flowguard}. */
package io.flowguard.bronze.examples;
