# Python virtualenv for the test suite's SMTP sink (end2end/mail/sink.py): `mail_sink_env` creates
# it under target/ on first use, reinstalls only when end2end/mail/requirements.txt changed, and
# exports RENDEZVOUS_MAIL_SINK, the command prefix that runs the sink (append `serve` or `check`).

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

mail_sink_env() {
  local venv="$ROOT/target/mail-venv"
  local requirements="$ROOT/end2end/mail/requirements.txt"
  local stamp="$venv/requirements.sha256"
  local want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" || { echo "python3 -m venv failed (apt-get install python3-venv)" >&2; return 1; }
  fi
  # The stamp is written only after a successful install, so a failed one is retried next time.
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" || return 1
    echo "$want" >"$stamp"
  fi
  export RENDEZVOUS_MAIL_SINK="$venv/bin/python $ROOT/end2end/mail/sink.py"
}
