#!/usr/bin/env bash
# System and npm tools the tests drive: Debian's chromium and a Java runtime
# (for the Nu HTML checker), and the npm packages pinned in package.json.
# Idempotent: installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v npm >/dev/null 2>&1 || need+=(npm)
if ((${#need[@]})); then
  echo "installing Debian packages: ${need[*]}"
  sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

if [[ -f package-lock.json ]] && [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
fi

# Fail here, clearly, rather than in the middle of the tests.
for tool in node_modules/axe-core/axe.min.js node_modules/vnu-jar/build/dist/vnu.jar node_modules/.bin/lighthouse; do
  [[ -e $tool ]] || { echo "missing $tool after npm ci" >&2; exit 1; }
done
