/** The {@code bronze.*} configuration model shared by the library, the CLI's service, the Spring Boot starter and the Kafka Connect connector. */
package io.flowguard.bronze.config;
