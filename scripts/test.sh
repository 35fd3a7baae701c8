#!/usr/bin/env bash
# `npm test`: every suite, with everything it needs, on a fresh machine. What it does:
#   1. Debian packages the tests use (PostgreSQL, Redis, Chromium, CJK fonts, xmllint): installed with apt-get when run
#      as root and missing; otherwise it says which are missing (their tests then fail or skip, as they say).
#   2. PostgreSQL on loopback: TEST_DATABASE_URL when set; else, as root, the system cluster (role and database
#      `casepane`); else a private cluster in a temp folder on a free port, stopped at exit.
#   3. typecheck, lint, the jest suites (unit, API, browser; SQLite and PostgreSQL) and the slow fault tests;
#      then one line `N passed, N failed`.
# `npm test -- <jest args>` does 1 and 2 and runs jest with those arguments only (one file, -t, --watch).
# The fast inner loop without any of this: `npm run test:quick` (jest on SQLite).
set -uo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

step() { printf '\n== %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

ensure_debian_packages() {
  local missing=()
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql postgresql-contrib)
  have redis-server || missing+=(redis-server)
  have chromium || missing+=(chromium)
  [ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
  have xmllint || missing+=(libxml2-utils)
  [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && have apt-get; then
    step "Debian packages: ${missing[*]}"
    apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null && return 0
    echo "apt-get install failed"
    return 1
  fi
  echo "Missing Debian packages: ${missing[*]} (run npm test as root to install them, or apt-get install them)"
}

PRIVATE_PG=""
stop_private_postgres() {
  [ -n "$PRIVATE_PG" ] && "$PG_BIN/pg_ctl" -D "$PRIVATE_PG/data" -m fast stop >/dev/null 2>&1
  [ -n "$PRIVATE_PG" ] && rm -rf "$PRIVATE_PG"
}

ensure_postgres() {
  if [ -n "${TEST_DATABASE_URL:-}" ]; then return 0; fi
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  if [ -z "$PG_BIN" ]; then
    echo "PostgreSQL is not installed: its half of the tests will be skipped"
    return 0
  fi
  step "PostgreSQL on loopback"
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL never runs as root: use the system cluster, started as its own user.
    local version
    version=$(basename "$(dirname "$PG_BIN")")
    pg_ctlcluster "$version" main start 2>/dev/null || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
    su postgres -c "psql -qtAc \"select 1 from pg_roles where rolname='casepane'\"" | grep -q 1 \
      || su postgres -c "psql -qc \"create role casepane login superuser password 'casepane'\""
    su postgres -c "psql -qtAc \"select 1 from pg_database where datname='casepane_test'\"" | grep -q 1 \
      || su postgres -c "createdb -O casepane casepane_test"
    export TEST_DATABASE_URL="postgres://casepane:casepane@127.0.0.1:5432/casepane_test"
    return 0
  fi
  PRIVATE_PG=$(mktemp -d "${TMPDIR:-/tmp}/casepane-pg.XXXXXX")
  local port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  "$PG_BIN/initdb" -D "$PRIVATE_PG/data" -U casepane --auth=trust -E UTF8 >/dev/null \
    && "$PG_BIN/pg_ctl" -D "$PRIVATE_PG/data" -l "$PRIVATE_PG/log" -w \
      -o "-p $port -k $PRIVATE_PG -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null \
    && "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U casepane casepane_test \
    || { echo "could not start a private PostgreSQL (see $PRIVATE_PG/log)"; return 1; }
  trap stop_private_postgres EXIT
  export TEST_DATABASE_URL="postgres://casepane@127.0.0.1:$port/casepane_test"
}

[ -d node_modules ] || npm ci --no-audit --no-fund || exit 1
ensure_debian_packages || { echo "0 passed, 1 failed"; exit 1; }
ensure_postgres || { echo "0 passed, 1 failed"; exit 1; }

if [ $# -gt 0 ]; then
  npx jest "$@"
  exit $?
fi

passed_checks=0
failed_checks=0
check() { if "$@"; then passed_checks=$((passed_checks + 1)); else failed_checks=$((failed_checks + 1)); fi; }
step "Type check and lint"
check npm run --silent typecheck
check npm run --silent lint

step "Tests on SQLite${TEST_DATABASE_URL:+ and PostgreSQL}: unit, API, browser, quick faults"
mkdir -p test-results
npx jest --json --outputFile=test-results/jest.json
test_status=$?

step "Slow fault tests: kill -9 under load, PostgreSQL restart under load"
npx jest -c jest.faults.config.js --json --outputFile=test-results/faults.json
faults_status=$?

step "Summary"
npx tsx scripts/test-summary.ts test-results/jest.json test-results/faults.json "$passed_checks" "$failed_checks"
summary_status=$?
[ $test_status -ne 0 ] && [ $summary_status -eq 0 ] && exit $test_status
[ $faults_status -ne 0 ] && [ $summary_status -eq 0 ] && exit $faults_status
exit $summary_status
