#!/usr/bin/env bash
# Run a command with Node >= 22 on PATH and the locked dependencies installed.
# @pulumi/pulumi requires Node 22; when the system Node is older, node@22 from the npm registry
# (the package ships the binary) is installed once into a cache directory.
# Usage: bash scripts/with-node22.sh npm test
set -euo pipefail
cd "$(dirname "$0")/.."

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 22 ]; then
  prefix="${XDG_CACHE_HOME:-$HOME/.cache}/baseline-node22"
  if [ ! -x "$prefix/node_modules/node/bin/node" ]; then
    echo "setup: node $(node --version 2>/dev/null || echo none) is older than 22; installing node@22 from the npm registry" >&2
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error node@22 >/dev/null
  fi
  export PATH="$prefix/node_modules/node/bin:$PATH"
fi

# Install exactly the lock file when node_modules is missing or older than the lock.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci (node $(node --version))" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

exec "$@"
