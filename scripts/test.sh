#!/usr/bin/env bash
# Sets up the toolchain and runs every test: formatting and lints, unit and integration tests on
# SQLite and on a throwaway PostgreSQL cluster, then the Playwright suite against a release build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source scripts/lib/postgres.sh

step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
started=$SECONDS

step "toolchain"
scripts/setup.sh test

step "format and lints"
cargo fmt --all --check
# Without --workspace: default-members leave out the browser crate, whose `hydrate` feature must
# not be unified with the server's `ssr`; it is linted on its own target instead.
cargo clippy --all-targets --locked -- -D warnings
cargo clippy -p frontend --target wasm32-unknown-unknown --locked -- -D warnings
cargo check -p engine --target wasm32-unknown-unknown --locked # the engine must stay pure

step "PostgreSQL test cluster"
trap pg_stop EXIT
pg_start
export RENDEZVOUS_REQUIRE_POSTGRES=1
export RENDEZVOUS_SCHEMATHESIS="$ROOT/.tools/venv/bin/schemathesis" RENDEZVOUS_REQUIRE_SCHEMATHESIS=1

step "unit and integration tests (SQLite and PostgreSQL)"
cargo test --locked

step "release build"
cargo leptos build --release

step "browser tests (Playwright, Chromium)"
RENDEZVOUS_E2E_PORT="$(free_port)"
export RENDEZVOUS_E2E_PORT
(cd end2end && npx playwright test)

step "all tests passed in $((SECONDS - started)) s"
