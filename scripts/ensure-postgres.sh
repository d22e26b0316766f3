#!/usr/bin/env bash
# Start a throwaway PostgreSQL server for tests and print its URL (last line of stdout).
#
#   scripts/ensure-postgres.sh [DIR]      start a cluster in DIR (default: a new temp dir)
#   scripts/ensure-postgres.sh --stop DIR stop it and delete DIR
#
# Installs Debian's postgresql with apt-get when no server binaries are found (needs root).
# The cluster listens on 127.0.0.1 only, on a free port, with trust auth and fsync off:
# it is for tests, never for data you want to keep. Runs as the `postgres` user when started
# as root (initdb refuses root). Exit codes: 0 started, 3 cannot install, 4 cannot start.
set -euo pipefail

find_bin() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$d" && -x "$d/initdb" ]]; then echo "$d"; return 0; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

as_owner() {  # run a server binary as the cluster owner
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [[ "${1:-}" == "--stop" ]]; then
  dir=${2:?usage: ensure-postgres.sh --stop DIR}
  if bin=$(find_bin) && [[ -f "$dir/data/postmaster.pid" ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf -- "$dir"
  exit 0
fi

if ! bin=$(find_bin); then
  if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-postgres: no PostgreSQL binaries and cannot apt-get install (need root on Debian)" >&2
    exit 3
  fi
  echo "ensure-postgres: installing postgresql with apt-get" >&2
  export DEBIAN_FRONTEND=noninteractive
  if ! { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }; then
    echo "ensure-postgres: apt-get install postgresql failed" >&2
    exit 3
  fi
  bin=$(find_bin) || { echo "ensure-postgres: installed but no initdb found" >&2; exit 3; }
fi

dir=${1:-$(mktemp -d /tmp/narrascope-pg.XXXXXX)}
mkdir -p "$dir"
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$dir" --shell /usr/sbin/nologin postgres
  chown postgres "$dir"
fi

port=$(python3 - <<'PY'
import socket
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
PY
)

if ! as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$dir/initdb.log" 2>&1; then
  echo "ensure-postgres: initdb failed; see $dir/initdb.log" >&2
  cat "$dir/initdb.log" >&2
  exit 4
fi
opts="-h 127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
opts="$opts -c shared_buffers=32MB -c max_connections=40"
if ! as_owner "$bin/pg_ctl" -D "$dir/data" -o "$opts" -l "$dir/server.log" -w -t 60 start >/dev/null; then
  echo "ensure-postgres: server did not start; see $dir/server.log" >&2
  cat "$dir/server.log" >&2 || true
  exit 4
fi
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres narrascope
echo "ensure-postgres: server in $dir (stop: $0 --stop $dir)" >&2
echo "postgresql://postgres@127.0.0.1:$port/narrascope"
