#!/usr/bin/env bash
# Engine vs raw KafkaConsumer throughput on an in-JVM broker. Usage: bench/engine.sh [records] [partitions]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bronze-benchmarks -am install -DskipTests
mvn -B -q -pl bronze-benchmarks dependency:build-classpath -Dmdep.outputFile=target/bench.classpath >/dev/null
exec java -Xmx4g -cp "bronze-benchmarks/target/classes:$(cat bronze-benchmarks/target/bench.classpath)" \
  io.flowguard.bronze.benchmarks.EngineBenchmark "$@"
