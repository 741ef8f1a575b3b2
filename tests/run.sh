#!/usr/bin/env bash
# Every test, on a fresh Debian machine too: installs what the tests need when it is missing (Chromium for the IDE tests,
# redis-server for scale-out, PostgreSQL for the archive; Debian's packages, as root), then runs `dotnet test Gateway.sln`
# with any arguments given. The inner loop, once these are installed: dotnet test Gateway.sln --filter "Category!=Slow"
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || missing+=(postgresql)
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "The tests need Debian's ${missing[*]}: install them as root (apt-get install -y ${missing[*]}) or run this script as root." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The packages start system-wide servers; the tests never use them (each starts its own on a free port).
if [[ $(id -u) -eq 0 ]]; then
  systemctl stop redis-server postgresql >/dev/null 2>&1 || { service redis-server stop; service postgresql stop; } >/dev/null 2>&1 || true
fi
command -v node >/dev/null || { echo "Node.js 20 and npm are required (the IDE's assets, client libraries in tests)." >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is required." >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
# A snapshot test whose snapshot is missing fails here instead of writing it.
export SNAPSHOOTER_STRICT_MODE=true
dotnet test Gateway.sln "$@"
