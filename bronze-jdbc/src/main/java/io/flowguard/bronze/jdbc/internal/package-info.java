/** Implementation detail of the JDBC sinks (dialects, schema inspection, row mapping); not API, may change without notice. */
package io.flowguard.bronze.jdbc.internal;
