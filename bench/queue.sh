#!/usr/bin/env bash
# The shared run queue under load: RUNS runs (default 200) of a dry-run-sized spec enqueued in one PostgreSQL,
# served by WORKERS `shatter worker` processes (default 8) at once. Checks that every run was done exactly once
# (one attempt each, none lost, none left) and prints the claim rate: runs claimed per second between the first
# and the last claim (the server's clock), and the wall time from the workers' start.
#
#   bench/queue.sh [RUNS] [WORKERS] [--train]
#
# Without --train the workers train nothing (`--executor none`: each run's folder gets a stand-in summary), so
# the number is the queue's: claim + heartbeat + complete + the run folder. With --train every run is a real
# (tiny) training run: 100 Fashion-MNIST images, 1 epoch, one thread. $SHATTER_DB names a server to use
# (its database must be empty or a bench one); by default a throwaway server is started in a temporary
# folder (Debian's postgresql package, as the tests do) and removed at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=${1:-200}; workers=${2:-8}; train=${3:-}
work=$(mktemp -d /tmp/shatter-bench-queue.XXXXXX); chmod 777 "$work"
pg=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
started=""
cleanup() {
  [ -n "$started" ] && as_pg "$pg/pg_ctl" -D "$work/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
if [ -n "${SHATTER_DB:-}" ]; then
  db="$SHATTER_DB"
else
  [ -n "$pg" ] || { echo "bench/queue.sh: PostgreSQL is not installed; run scripts/setup.sh or set SHATTER_DB." >&2; exit 1; }
  port=$((20000 + RANDOM % 10000))
  as_pg "$pg/initdb" -D "$work/data" -A trust -U shatter -E UTF8 --locale=C --no-sync >/dev/null
  as_pg "$pg/pg_ctl" -D "$work/data" -l "$work/log" -w start -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=100" >/dev/null
  started=1
  as_pg "$pg/createdb" -h 127.0.0.1 -p "$port" -U shatter shatter
  db="postgresql://shatter@127.0.0.1:$port/shatter"
fi
seeds=$(seq -s, 1 "$runs")
cat >"$work/bench-queue.yaml" <<YAML
name: bench-queue
scales:
  dry-run: { train_size: 100, test_size: 100, epochs: 1, batch_size: 50, threads: 1 }
grid:
  model: [mlp-1x512]
  seed: [$seeds]
YAML
shatter="$root/shatter"
"$shatter" sweep "$work/bench-queue.yaml" --scale dry-run --db "$db" --enqueue >/dev/null
executor=(--executor none); [ "$train" = "--train" ] && executor=()
echo "bench/queue.sh: $runs runs, $workers workers, $([ ${#executor[@]} -gt 0 ] && echo 'queue only (no training)' || echo 'real training'), database $db"
t0=$(date +%s.%N)
pids=()
for ((i = 0; i < workers; i++)); do
  "$shatter" worker --db "$db" --spec bench-queue --runs-dir "$work/runs" "${executor[@]}" >"$work/worker-$i.log" 2>&1 &
  pids+=($!)
done
rc=0
for p in "${pids[@]}"; do wait "$p" || rc=1; done
t1=$(date +%s.%N)
[ $rc -eq 0 ] || { echo "a worker failed:" >&2; tail -n 5 "$work"/worker-*.log >&2; exit 1; }
q() { PGCONNECT_TIMEOUT=10 psql "$db" -XAtc "$1"; }
done_runs=$(q "SELECT count(*) FROM runs r JOIN run_specs s USING (hash) WHERE s.spec = 'bench-queue' AND r.status = 'done'")
attempts=$(q "SELECT count(*) FROM run_attempts a JOIN run_specs s USING (hash) WHERE s.spec = 'bench-queue'")
twice=$(q "SELECT count(*) FROM (SELECT hash FROM run_attempts GROUP BY hash HAVING count(*) > 1) x")
by_worker=$(q "SELECT string_agg(n::text, ' ' ORDER BY n DESC) FROM (SELECT count(*) n FROM run_attempts GROUP BY worker) x")
span=$(q "SELECT EXTRACT(EPOCH FROM max(claimed_at) - min(claimed_at)) FROM runs r JOIN run_specs s USING (hash) WHERE s.spec = 'bench-queue'")
echo "done: $done_runs of $runs; attempts: $attempts; runs tried more than once: $twice; runs per worker: $by_worker"
awk -v n="$runs" -v s="$span" -v t0="$t0" -v t1="$t1" 'BEGIN { w = t1 - t0
  printf "claim rate: %.1f runs claimed per second (first to last claim, %.2f s); %.1f runs per second over the workers'"'"' whole wall time (%.2f s, start-up included)\n", (n - 1) / s, s, n / w, w }'
[ "$done_runs" = "$runs" ] && [ "$attempts" = "$runs" ] && [ "$twice" = 0 ] || { echo "bench/queue.sh: runs were lost or done twice" >&2; exit 1; }
