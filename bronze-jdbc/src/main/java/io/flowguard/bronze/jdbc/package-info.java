/** JDBC Bronze sink and dead-letter sink with pluggable SQL dialects (PostgreSQL, DuckDB, and others such as Snowflake). */
package io.flowguard.bronze.jdbc;
