#!/usr/bin/env bash
# Builds the site: both browser bundles (dashboard and booking pages, always size-optimized), the
# styles and public files, then the server.
#   scripts/build.sh          release server (what scripts/run.sh serves)
#   scripts/build.sh assets   browser bundles only; the test script serves them with the debug
#                             server that `cargo test` has already built
# Plain cargo + wasm-bindgen + wasm-opt, no cargo-leptos: it builds only one front end, and
# installing it cost a fresh machine 13 minutes. Expects the tools from scripts/setup.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

SITE=target/site
PKG=$SITE/pkg
WASM_DIR=target/wasm32-unknown-unknown/wasm-release

# One cargo invocation, so both entry crates share every compiled dependency.
cargo build -p frontend -p booking-frontend --lib --target wasm32-unknown-unknown --profile wasm-release --locked

mkdir -p "$PKG"
bundle() { # crate, bundle name
  wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name "$2" "$WASM_DIR/$1.wasm"
  wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$PKG/$2_bg.wasm" -o "$PKG/$2.wasm"
  rm "$PKG/$2_bg.wasm"
}
bundle frontend rendezvous &
dashboard=$!
bundle booking_frontend booking
wait "$dashboard"
cp style/main.css "$PKG/rendezvous.css"
cp style/booking.css "$PKG/booking.css"
cp -R public/. "$SITE/"
node scripts/lib/finish-assets.mjs "$PKG"

[ "${1:-release}" = assets ] || build_release_server
