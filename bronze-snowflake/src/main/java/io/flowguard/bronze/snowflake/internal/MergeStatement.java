package io.flowguard.bronze.snowflake.internal;

import io.flowguard.bronze.jdbc.TableDefinition;

/**
 * One statement of a batch: the merge text, the JSON array bound as parameter 1, the pruning bound after it, and how
 * many distinct rows it carries.
 */
public record MergeStatement(TableDefinition table, String sql, String json, Pruning pruning, int rows) {}
