#!/usr/bin/env bash
# Installs every tool Rendezvous needs, offline-safe and idempotent: a tool already present at the
# right version is skipped, so a warm run costs seconds. Only the crates.io, npm and Debian
# registries are used.
#   scripts/setup.sh run   build tools only (Rust wasm target, wasm-bindgen, wasm-opt)
#   scripts/setup.sh test  also Chromium, PostgreSQL server binaries, the end2end npm packages and
#                          the Python test tools (schemathesis)
#   scripts/setup.sh bench only wrk, valgrind and PostgreSQL, for scripts/bench.sh
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WASM_BINDGEN_VERSION="0.2.130"
BINARYEN_VERSION="132.0.0"
TOOLS="$ROOT/.tools"
PURPOSE="${1:-test}"

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

export PATH="$HOME/.cargo/bin:$PATH"

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]} (log: $TOOLS/apt.log)"
  mkdir -p "$TOOLS"
  if [ $apt_updated = 0 ]; then as_root apt-get update -qq >>"$TOOLS/apt.log" 2>&1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >>"$TOOLS/apt.log" 2>&1 \
    || as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -f >>"$TOOLS/apt.log" 2>&1
}

ensure_rust_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return 0
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
}

ensure_wasm_bindgen() {
  if wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then return 0; fi
  log "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: the CLI's own lockfile pins crates that no longer build on this toolchain.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
}

ensure_wasm_opt() {
  # Debian's binaryen (wasm-opt 108) silently breaks hydration; ours goes first on PATH.
  if [ -x "$TOOLS/node_modules/.bin/wasm-opt" ] \
    && "$TOOLS/node_modules/.bin/wasm-opt" --version | grep -q "${BINARYEN_VERSION%%.*}"; then
    return 0
  fi
  log "npm install binaryen@$BINARYEN_VERSION"
  mkdir -p "$TOOLS"
  (cd "$TOOLS" && npm install --no-audit --no-fund --silent "binaryen@$BINARYEN_VERSION" >/dev/null)
}

ensure_end2end_deps() {
  [ -d "$ROOT/end2end" ] || return 0
  if [ -d "$ROOT/end2end/node_modules" ] \
    && cmp -s "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.package-lock.stamp"; then
    return 0
  fi
  log "npm ci in end2end/"
  (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
  cp "$ROOT/end2end/package-lock.json" "$ROOT/end2end/node_modules/.package-lock.stamp"
}

# Schemathesis (and later other Python test tools) in a private venv, reinstalled only when
# scripts/requirements-test.txt changes.
ensure_python_test_tools() {
  local venv="$TOOLS/venv" wanted="$ROOT/scripts/requirements-test.txt"
  if [ -x "$venv/bin/schemathesis" ] && cmp -s "$wanted" "$venv/.requirements.stamp"; then
    return 0
  fi
  python3 -m venv "$venv" >/dev/null 2>&1 || { apt_install python3-venv; python3 -m venv "$venv"; }
  log "pip install -r scripts/requirements-test.txt"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$wanted" >"$TOOLS/pip.log" 2>&1 \
    || { cat "$TOOLS/pip.log" >&2; return 1; }
  cp "$wanted" "$venv/.requirements.stamp"
}

main() {
  case "$PURPOSE" in run | test | bench) ;; *) echo "usage: scripts/setup.sh [run|test|bench]" >&2; exit 2 ;; esac
  if [ "$PURPOSE" = bench ]; then
    apt_install wrk valgrind postgresql
    log "toolchain ready (bench)"
    return 0
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  ensure_rust_target
  ensure_wasm_opt
  if [ "$PURPOSE" = test ]; then
    # Downloads overlap the wasm-bindgen compile, which is the long pole on a new machine.
    { apt_install chromium postgresql && ensure_python_test_tools; } &
    local system=$!
    ensure_end2end_deps &
    local node=$!
    ensure_wasm_bindgen
    wait "$system"
    wait "$node"
  else
    ensure_wasm_bindgen
  fi
  log "toolchain ready ($PURPOSE)"
}

main "$@"
