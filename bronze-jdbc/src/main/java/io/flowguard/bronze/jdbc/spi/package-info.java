/**
 * The service-provider interface of the SQL table sinks: one core ({@link io.flowguard.bronze.jdbc.spi.TableSinkCore})
 * that plans and writes a batch, and a small {@link io.flowguard.bronze.jdbc.spi.TableSinkDialect} per warehouse.
 * Public so that sinks in other modules (bronze-snowflake) are built on it without reaching into {@code .internal}.
 *
 * @since 0.2.0
 */
package io.flowguard.bronze.jdbc.spi;
