#!/usr/bin/env bash
# PostgreSQL sink throughput: idempotent JdbcBronzeSink (ON CONFLICT DO NOTHING) and append mode (plain insert + ledger
# fence) vs plain INSERT of the same rows, in an embedded PostgreSQL.
# Usage: bench/sink.sh [rows (200000)] [batchSize (1000)] [rounds (3)]
# The last two lines: "postgres merge/plain ratio: ..." and "postgres append/plain ratio: R (append A rows/s, plain P rows/s)".
set -euo pipefail
cd "$(dirname "$0")/.."
# Built in the reactor (no install into ~/.m2), so the benchmark runs this checkout's modules.
mvn -B -q ${BENCH_MVN_ARGS:-} -pl bronze-benchmarks -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx2g -cp "bronze-benchmarks/target/classes:$(cat bronze-benchmarks/target/bench.classpath)" \
  io.flowguard.bronze.benchmarks.SinkBenchmark "$@"
