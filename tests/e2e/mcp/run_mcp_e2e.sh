#!/usr/bin/env bash
# The MCP end-to-end test (ctest e2e/mcp_typescript_client): installs the pinned
# @modelcontextprotocol/sdk from package-lock.json into WORKDIR/client (in the
# build tree, ignored by git) when it is missing or the lock changed, then runs
# mcp_client_check.mjs there against the faultline binary.
#   run_mcp_e2e.sh FAULTLINE_BINARY WORKDIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
faultline=$1
workdir=$2
client="$workdir/client"
mkdir -p "$client"

if ! cmp -s "$here/package-lock.json" "$client/package-lock.json" || [[ ! -d "$client/node_modules/@modelcontextprotocol/sdk" ]]; then
  command -v npm >/dev/null || { echo "mcp e2e: npm is missing (scripts/install-deps installs nodejs and npm)" >&2; exit 2; }
  cp "$here/package.json" "$here/package-lock.json" "$client/"
  (cd "$client" && npm ci --no-audit --no-fund --loglevel=error)
fi
# ES modules resolve packages next to the importing file, so the check runs from the install folder.
cp "$here/mcp_client_check.mjs" "$client/"
exec node "$client/mcp_client_check.mjs" --faultline "$faultline" --workdir "$workdir" \
  --repo "$(cd "$here/../../.." && pwd)" "${@:3}"
