#!/usr/bin/env bash
# Release build of the whole site: the server and dashboard bundle (cargo-leptos), then the
# booking pages' own bundle, which cargo-leptos cannot build as a second front end.
# Expects the tools from scripts/setup.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

cargo leptos build --release

PKG=target/site/pkg
WASM=target/wasm32-unknown-unknown/wasm-release/booking_frontend.wasm
cargo build -p booking-frontend --lib --target wasm32-unknown-unknown --profile wasm-release --locked
wasm-bindgen --target web --no-typescript --out-dir "$PKG" --out-name booking "$WASM"
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int "$PKG/booking_bg.wasm" -o "$PKG/booking.wasm"
rm "$PKG/booking_bg.wasm"
cp style/booking.css "$PKG/booking.css"
node scripts/lib/finish-assets.mjs "$PKG"
