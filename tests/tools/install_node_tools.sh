#!/usr/bin/env bash
# Install the HTML validity and accessibility checkers the theme tests use, from the npm registry:
#   vnu-jar   the Nu HTML Checker (run with the machine's Java 11+)
#   axe-core  the accessibility engine injected into headless Chromium
# into $SITE_BUILDER_TOOLS (default: <repo>/.tools). Idempotent: does nothing when the pinned
# versions are already there. Tests skip when the tools are absent, unless
# SITE_BUILDER_REQUIRE_TOOLS=1, in which case they fail.
set -euo pipefail

VNU_VERSION="26.9.27"
AXE_VERSION="4.14.1"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${SITE_BUILDER_TOOLS:-$repo/.tools}"

installed_version() {
  local manifest="$tools/node_modules/$1/package.json"
  [[ -f "$manifest" ]] || return 0
  node -e 'process.stdout.write(require(process.argv[1]).version)' "$manifest"
}

if [[ "$(installed_version vnu-jar)" == "$VNU_VERSION" \
   && "$(installed_version axe-core)" == "$AXE_VERSION" \
   && -f "$tools/node_modules/vnu-jar/build/dist/vnu.jar" \
   && -f "$tools/node_modules/axe-core/axe.min.js" ]]; then
  echo "node tools already installed in $tools (vnu-jar $VNU_VERSION, axe-core $AXE_VERSION)"
  exit 0
fi

command -v npm >/dev/null || { echo "install_node_tools: npm not found" >&2; exit 1; }
mkdir -p "$tools"
if [[ ! -f "$tools/package.json" ]]; then
  printf '{\n  "name": "site-builder-test-tools",\n  "private": true\n}\n' >"$tools/package.json"
fi
npm install --prefix "$tools" --no-audit --no-fund --no-save --loglevel=error \
  "vnu-jar@$VNU_VERSION" "axe-core@$AXE_VERSION"
echo "installed vnu-jar $VNU_VERSION and axe-core $AXE_VERSION in $tools"
