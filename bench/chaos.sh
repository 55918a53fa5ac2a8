#!/usr/bin/env bash
# Runs only the chaos test (bronze-chaos ChaosIT: engine child JVMs killed with SIGKILL, PostgreSQL outage, broker
# restart, a second engine joining and leaving) and prints its result line and wall-clock time.
#
#   bench/chaos.sh            # online
#   bench/chaos.sh -o         # extra Maven arguments (here: offline) go to both Maven runs
#   CHAOS_SEED=42 bench/chaos.sh   # replay a kill schedule
#
# Child JVM logs: bronze-chaos/target/chaos-logs/. See docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q "$@" install -DskipTests -pl bronze-api,bronze-core,bronze-testkit,bronze-jdbc

seed_arg=()
if [[ -n "${CHAOS_SEED:-}" ]]; then
  seed_arg=("-Dchaos.seed=${CHAOS_SEED}")
fi
start=$(date +%s)
status=0
mvn -B "$@" -pl bronze-chaos verify -Dit.test=ChaosIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  "${seed_arg[@]+"${seed_arg[@]}"}" || status=$?
end=$(date +%s)

report=bronze-chaos/target/failsafe-reports/io.flowguard.bronze.chaos.ChaosIT-output.txt
if [[ -f "$report" ]]; then
  grep -h '^chaos: ' "$report" || echo "chaos: no result line (see $report)"
fi
echo "chaos: wall time $((end - start)) s (Maven run of ChaosIT, broker and PostgreSQL start included), exit status $status"
exit "$status"
