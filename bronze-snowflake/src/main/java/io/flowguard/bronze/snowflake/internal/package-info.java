/** Implementation of the Snowflake sinks (SQL text, JSON batch encoding, schema management); not a public API. */
package io.flowguard.bronze.snowflake.internal;
