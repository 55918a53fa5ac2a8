#!/usr/bin/env bash
# PostgreSQL sink throughput: idempotent JdbcBronzeSink (ON CONFLICT DO NOTHING) vs plain INSERT of the same rows, in an
# embedded PostgreSQL. Usage: bench/sink.sh [rows (200000)] [batchSize (1000)] [rounds (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bronze-benchmarks -am install -DskipTests
mvn -B -q -pl bronze-benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx2g -cp "bronze-benchmarks/target/classes:$(cat bronze-benchmarks/target/bench.classpath)" \
  io.flowguard.bronze.benchmarks.SinkBenchmark "$@"
