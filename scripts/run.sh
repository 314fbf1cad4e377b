#!/usr/bin/env bash
# Sets up the toolchain, builds the release site and runs Rendezvous on embedded SQLite.
# Configuration: environment variables or a .env file (see README.md). Stop with Ctrl-C.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/env.sh"

scripts/setup.sh run
scripts/build.sh
exec target/release/rendezvous
