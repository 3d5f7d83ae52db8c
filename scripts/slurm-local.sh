#!/usr/bin/env bash
# A real single-node Slurm cluster on this Debian 12 machine, to try `shatter sweep --launcher slurm` for real
# (docs/scale-out.md). As root:
#   scripts/slurm-local.sh start    installs slurm-wlm and munge if missing, writes /etc/slurm/slurm.conf (one node:
#                                   this host, all its cores, partition "debug"), starts munged, slurmctld, slurmd
#                                   and waits until the node is idle
#   scripts/slurm-local.sh stop     stops the three daemons it started, by the process ids in their pid files
# No systemd and no cgroup plugins are needed (proctrack/linuxproc, task/none), so it also runs in a container.
# It refuses to overwrite a slurm.conf that it did not write.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || { echo "slurm-local.sh: run as root (it installs packages and starts system daemons)." >&2; exit 1; }
conf=/etc/slurm/slurm.conf
mark="# written by shatter scripts/slurm-local.sh"
run=/run/slurm-local

start() {
  missing=()
  for p in slurm-wlm munge; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "slurm-local: installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  mkdir -p /run/munge /var/lib/munge /var/log/munge "$run" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  chown munge:munge /run/munge /var/lib/munge /var/log/munge
  chown slurm:slurm /var/spool/slurmctld /var/log/slurm
  if [ -f "$conf" ] && ! grep -qF "$mark" "$conf"; then
    echo "slurm-local: $conf exists and was not written by this script; move it away or stop here." >&2; exit 1
  fi
  host=$(hostname)
  mem=$(( $(free -m | awk '/Mem/{print $2}') - 1024 ))
  cat >"$conf" <<CONF
$mark
ClusterName=local
SlurmctldHost=$host
SlurmUser=slurm
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=$run/slurmctld.pid
SlurmdPidFile=$run/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MpiDefault=none
NodeName=$host CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
    runuser -u munge -- /usr/sbin/munged
    for _ in $(seq 1 20); do [ -s /run/munge/munged.pid ] && break; sleep 0.25; done
    cp /run/munge/munged.pid "$run/munged.pid"   # munged forks: its own pid file names the daemon
  fi
  /usr/sbin/slurmctld
  sleep 2
  /usr/sbin/slurmd
  for _ in $(seq 1 30); do
    sinfo -h -o %T 2>/dev/null | grep -qx idle && { sinfo; return 0; }
    sleep 1
  done
  echo "slurm-local: the node did not become idle in 30 s; see /var/log/slurm/slurmctld.log and slurmd.log" >&2
  exit 1
}

stop() {
  for d in slurmd slurmctld munged; do
    f="$run/$d.pid"
    pid=$(cat "$f" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      echo "slurm-local: stopped $d ($pid)"
    fi
    rm -f "$f"
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: scripts/slurm-local.sh start|stop" >&2; exit 2 ;;
esac
