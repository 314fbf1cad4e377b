# Shared by the run and test scripts: the workspace root and a PATH where our own wasm-opt
# (binaryen 132) shadows Debian's, which silently breaks hydration.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export PATH="$ROOT/.tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cd "$ROOT"

# The release server, as `scripts/build.sh` builds it and `scripts/bench.sh` reuses it: one
# command line, so cargo finds the same build and compiles nothing twice.
build_release_server() {
  cargo build -p server --bin rendezvous --release --locked
}
