#!/usr/bin/env bash
# Engine vs raw KafkaConsumer throughput on an in-JVM broker.
#   bench/engine.sh [records (1000000)] [partitions (3)] [maxBatchRecords (the engine default)]
#   ENGINE_MVN_ARGS=-o bench/engine.sh ...          # offline Maven
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn_args <<< "${ENGINE_MVN_ARGS:-}"
# package, not install: the benchmark runs from the reactor's own jars and never touches ~/.m2's SNAPSHOTs.
mvn -B -q "${mvn_args[@]+"${mvn_args[@]}"}" -pl bronze-benchmarks -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx4g -cp "bronze-benchmarks/target/classes:$(cat bronze-benchmarks/target/bench.classpath)" \
  io.flowguard.bronze.benchmarks.EngineBenchmark "$@"
