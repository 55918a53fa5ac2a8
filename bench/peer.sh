#!/usr/bin/env bash
# Bronze vs Kafka Connect + Debezium JDBC sink, end to end into PostgreSQL, on one in-JVM broker and one embedded
# PostgreSQL (PeerBenchmark; see docs/benchmarks.md). Each side runs in its own child JVM; Connect gets its own classpath
# (bronze-benchmarks/peer-connect/pom.xml), so Debezium/Hibernate never meet the project's dependencies.
#
#   bench/peer.sh                                  # 1,000,000 events, 3 rounds, latency at 5,000 events/s for 60 s
#   bench/peer.sh --quick                          # 50,000 events, 1 round, 10 s of latency
#   bench/peer.sh --events 200000 --rounds 1 --latency-seconds 0 --jfr bronze-benchmarks/target/peer/jfr
#   PEER_MVN_ARGS=-o bench/peer.sh ...             # offline Maven
#
# Options (--name value): events, rounds, modes (default[,append]), batch, bronze-batch, connect-batch, pool, engines,
# max-batch-wait-ms, variants, latency-variants, connect-tasks, connect-format (envelope|hoist), connect-rewrite, rate, latency-seconds, pg-durable,
# pg-set (k=v,...), sides (bronze,connect), jfr (dir), heap. The last line printed is
#   peer: bronze/connect-jdbc throughput ratio: R (bronze B rows/s, connect C rows/s, N events)
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a mvn_args <<< "${PEER_MVN_ARGS:-}"
# package, not install: the benchmark runs from the reactor's own jars and never touches ~/.m2's SNAPSHOTs.
mvn -B -q "${mvn_args[@]+"${mvn_args[@]}"}" -pl bronze-benchmarks -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath >/dev/null
mvn -B -q "${mvn_args[@]+"${mvn_args[@]}"}" -f bronze-benchmarks/peer-connect/pom.xml dependency:build-classpath \
  -Dmdep.outputFile=target/connect.classpath >/dev/null
exec java -Xms1g -Xmx3g -cp "bronze-benchmarks/target/classes:$(cat bronze-benchmarks/target/bench.classpath)" \
  io.flowguard.bronze.benchmarks.PeerBenchmark \
  --connect-classpath bronze-benchmarks/peer-connect/target/connect.classpath "$@"
