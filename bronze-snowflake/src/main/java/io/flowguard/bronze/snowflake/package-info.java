/** Snowflake Bronze sink, dead-letter sink, connection configuration and error classification. */
package io.flowguard.bronze.snowflake;
