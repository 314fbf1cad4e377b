#!/usr/bin/env bash
# Sets up the toolchain and runs every test: formatting and lints, unit and integration tests on
# SQLite and on a throwaway PostgreSQL cluster (calendar scenarios also against real CalDAV
# servers, Radicale and Xandikos), then the Playwright suite against the debug server
# those tests built (no second, optimized compile of the server) and size-optimized browser bundles.
# A real SMTP server (end2end/mail/sink.py, aiosmtpd) receives the suite's mail, and every
# invitation the suite produces is checked by an independent parser (Python icalendar).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"
source scripts/lib/postgres.sh
source scripts/lib/caldav.sh

step() { printf '\n\033[1;34m==> %s\033[0m (at %d s)\n' "$*" $((SECONDS - started)); }
started=$SECONDS

# A one-off run gains nothing from incremental compilation and its caches cost gigabytes of disk.
export CARGO_INCREMENTAL=0

step "toolchain"
scripts/setup.sh test
source scripts/lib/python.sh
mail_sink_env
export RENDEZVOUS_REQUIRE_MAIL_SINK=1

step "format and lints"
cargo fmt --all --check
# Without --workspace: default-members leave out the browser crate, whose `hydrate` feature must
# not be unified with the server's `ssr`; it is linted on its own target instead.
cargo clippy --all-targets --locked -- -D warnings
cargo clippy -p frontend -p booking-frontend --target wasm32-unknown-unknown --locked -- -D warnings
cargo check -p engine --target wasm32-unknown-unknown --locked # the engine must stay pure

step "PostgreSQL test cluster and CalDAV servers (Radicale, Xandikos)"
trap 'pg_stop; caldav_stop' EXIT
pg_start
radicale_start
xandikos_start
export RENDEZVOUS_REQUIRE_POSTGRES=1 RENDEZVOUS_REQUIRE_CALDAV=1
export RENDEZVOUS_SCHEMATHESIS="$ROOT/.tools/venv/bin/schemathesis" RENDEZVOUS_REQUIRE_SCHEMATHESIS=1

step "unit and integration tests (SQLite and PostgreSQL)"
export RENDEZVOUS_ICS_CHECK_DIR="$ROOT/target/ics-check"
rm -rf "$RENDEZVOUS_ICS_CHECK_DIR"
cargo test --locked

step "every invitation the Rust tests wrote, checked by an independent parser (Python icalendar)"
shopt -s nullglob
invitations=("$RENDEZVOUS_ICS_CHECK_DIR"/*.ics)
[ ${#invitations[@]} -gt 0 ] || { echo "the Rust tests wrote no invitations to check" >&2; exit 1; }
$RENDEZVOUS_MAIL_SINK check "${invitations[@]}"

step "browser bundles"
scripts/build.sh assets
export RENDEZVOUS_E2E_SERVER=./target/debug/rendezvous RENDEZVOUS_E2E_GOOGLE_SIM=./target/debug/google-sim \
  RENDEZVOUS_E2E_MS_SIM=./target/debug/ms-sim

step "browser tests (Playwright, Chromium)"
read -r RENDEZVOUS_E2E_PORT RENDEZVOUS_E2E_SMTP_PORT RENDEZVOUS_E2E_MAIL_PORT RENDEZVOUS_E2E_GOOGLE_PORT RENDEZVOUS_E2E_MS_PORT \
  < <(free_ports 5)
export RENDEZVOUS_E2E_PORT RENDEZVOUS_E2E_SMTP_PORT RENDEZVOUS_E2E_MAIL_PORT RENDEZVOUS_E2E_GOOGLE_PORT RENDEZVOUS_E2E_MS_PORT
(cd end2end && npx playwright test)

step "all tests passed in $((SECONDS - started)) s"
