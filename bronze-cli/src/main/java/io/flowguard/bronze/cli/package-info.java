/** The {@code bronze} operator command line: status, landed, watch, check, dead letters, replay and traffic generation. */
package io.flowguard.bronze.cli;
