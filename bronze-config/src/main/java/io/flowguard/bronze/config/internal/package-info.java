/** Parsing helpers and DataSources of the configuration model; not API. */
package io.flowguard.bronze.config.internal;
