#!/usr/bin/env bash
# Snowflake sink through the real snowflake-jdbc driver into fakesnow, driven by the engine from an in-JVM Kafka broker,
# once per write mode (merge, append). Needs FAKESNOW_BIN (or fakesnow on the PATH).
# Usage: bench/snowflake.sh [events (100000)] [maxBatchRecords (5000)]
# The last lines are: snowflake: mode=M rows=R duplicates=D missing=X statements_per_batch=S max_statement_compressed_bytes=B
set -euo pipefail
cd "$(dirname "$0")/.."
# Built in the reactor (no install), so the benchmark runs this checkout's modules.
mvn -B -q ${BENCH_MVN_ARGS:-} -pl bronze-benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx2g --add-opens=java.base/java.nio=ALL-UNNAMED \
  -cp "bronze-benchmarks/target/classes:$(cat bronze-benchmarks/target/bench.classpath)" \
  io.flowguard.bronze.benchmarks.SnowflakeBenchmark "$@"
