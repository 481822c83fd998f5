#!/usr/bin/env bash
# Run a command with Node >= 22 on PATH and the locked dependencies installed.
# @pulumi/pulumi requires Node 22; when the system Node is older, node@22 from the npm registry
# (the package ships the binary) is installed once into a cache directory.
# Usage: bash scripts/with-node22.sh npm test
#
# Several runs may start at once on one machine (CI jobs, a developer's terminals) and must not
# break each other:
# - node@22 is installed into a temporary sibling of the cache folder and renamed into place, so
#   the cache folder is either absent or complete; a run that loses the rename uses the winner's;
# - `npm ci` runs under a per-checkout lock (flock, or a mkdir lock that a dead or stale holder
#   loses when flock is missing; BASELINE_SETUP_LOCK=mkdir forces it), and the need for it is
#   decided again once the lock is held, so a run that waited does not reinstall.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${XDG_CACHE_HOME:-$HOME/.cache}"
lock_wait_seconds=900

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

# Install node@22 into $1 atomically: into a temporary sibling folder, then one rename.
install_node22() {
  local prefix=$1 parent tmp aside
  parent=$(dirname "$prefix")
  mkdir -p "$parent"
  # Leftovers of runs killed mid-install (no install takes an hour).
  find "$parent" -maxdepth 1 -name "$(basename "$prefix").tmp.*" -mmin +60 -exec rm -rf {} + 2>/dev/null || true
  tmp=$(mktemp -d "$prefix.tmp.XXXXXX")
  trap "rm -rf '$tmp'" EXIT
  npm install --prefix "$tmp" --no-save --no-audit --no-fund --loglevel=error node@22 >/dev/null
  if [ ! -x "$tmp/node_modules/node/bin/node" ]; then
    echo "setup: npm installed node@22 without node_modules/node/bin/node" >&2
    exit 1
  fi
  # rename(2) fails when $prefix is a non-empty folder: then another run finished first.
  if ! mv -T "$tmp" "$prefix" 2>/dev/null; then
    if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
      # An incomplete folder no run can be using (left by an older, in-place version of this
      # script): set it aside and take its place.
      aside=$(mktemp -d "$prefix.stale.XXXXXX")
      mv -T "$prefix" "$aside/old" 2>/dev/null || true
      rm -rf "$aside"
      mv -T "$tmp" "$prefix" 2>/dev/null || true
    fi
    if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
      echo "setup: could not move node@22 into $prefix" >&2
      exit 1
    fi
    echo "setup: another run installed node@22 first; using $prefix" >&2
  fi
  rm -rf "$tmp"
  trap - EXIT
}

# Hold an exclusive lock named by $1 until release_lock (or until this shell exits).
acquire_lock() {
  local name=$1 deadline=$((SECONDS + lock_wait_seconds)) holder
  if [ "${BASELINE_SETUP_LOCK:-}" != mkdir ] && command -v flock >/dev/null 2>&1; then
    exec 9>"$name"
    if ! flock -w "$lock_wait_seconds" 9; then
      echo "setup: gave up after ${lock_wait_seconds}s waiting for $name" >&2
      exit 1
    fi
    return
  fi
  lock_dir="$name.d"
  until mkdir "$lock_dir" 2>/dev/null; do
    if [ ! -d "$lock_dir" ]; then
      # Released meanwhile, or mkdir failed for another reason than "held": try once more, aloud.
      if mkdir "$lock_dir"; then break; fi
      exit 1
    fi
    holder=$(cat "$lock_dir/pid" 2>/dev/null || true)
    # Stale: its holder is gone (a pid is written right after mkdir, so allow a moment for it),
    # or it is older than any install takes.
    if { [ -n "$holder" ] && ! kill -0 "$holder" 2>/dev/null; } \
      || { [ -z "$holder" ] && [ -n "$(find "$lock_dir" -maxdepth 0 -mmin +1 2>/dev/null)" ]; } \
      || [ -n "$(find "$lock_dir" -maxdepth 0 -mmin +$((lock_wait_seconds / 60)) 2>/dev/null)" ]; then
      # Move it aside (one rename, so only one waiter takes it), then make sure it was the one
      # judged stale and not a lock another waiter has just taken in its place.
      if mv -T "$lock_dir" "$lock_dir.stale.$$" 2>/dev/null; then
        if [ "$(cat "$lock_dir.stale.$$/pid" 2>/dev/null || true)" = "$holder" ]; then
          echo "setup: removed stale lock $lock_dir (holder ${holder:-unknown})" >&2
        else
          mv -T "$lock_dir.stale.$$" "$lock_dir" 2>/dev/null || echo "setup: warning: could not put back $lock_dir" >&2
        fi
        rm -rf "$lock_dir.stale.$$"
      fi
      continue
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "setup: gave up after ${lock_wait_seconds}s waiting for $lock_dir (held by ${holder:-unknown})" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo $$ >"$lock_dir/pid"
  trap "rm -rf '$lock_dir'" EXIT
}

release_lock() {
  if [ -n "${lock_dir:-}" ]; then
    rm -rf "$lock_dir"
    trap - EXIT
  else
    exec 9>&-
  fi
}

if [ "$(node_major)" -lt 22 ]; then
  prefix="$cache/baseline-node22"
  if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
    echo "setup: node $(node --version 2>/dev/null || echo none) is older than 22; installing node@22 from the npm registry" >&2
    install_node22 "$prefix"
  fi
  export PATH="$prefix/node_modules/node/bin:$PATH"
fi

# Install exactly the lock file when node_modules is missing or older than the lock, one run per
# checkout at a time (npm ci deletes node_modules first).
mkdir -p "$cache/baseline-setup-locks"
acquire_lock "$cache/baseline-setup-locks/$(pwd -P | cksum | cut -d' ' -f1).lock"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (node $(node --version))" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2 9>&-
fi
release_lock

exec "$@"
