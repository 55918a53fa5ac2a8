/** Spring Boot auto-configuration for the Bronze ingestion engine. */
package io.flowguard.bronze.spring.boot;
