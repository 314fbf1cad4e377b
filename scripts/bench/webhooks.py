"""Webhook figures for scripts/bench.sh: three receivers on loopback, registered as endpoints for
acme/hooked through the management API, then

  1. `wait`:    until the file named by --go exists (bench.sh runs wrk's `book` scenario on
                acme/hooked meanwhile, so it measures bookings per second with three endpoints);
                then until every booking made so far has reached all three receivers;
  2. latency:   --count sequential bookings through the public API, each timed from just before
                its POST until its delivery reached the first and the last receiver.

Prints `KEY=VALUE` lines (DELIVERED, LATENCY_P50_MS, LATENCY_P95_MS, LATENCY_ALL3_P95_MS) and
fails if any delivery arrives twice under one Rendezvous-Delivery id or a booking is missing.
Only the standard library, so it runs with the system python3.
"""

import argparse
import json
import os
import statistics
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
ARRIVALS = {}  # booking uid -> [arrival times]
SEEN = set()  # (receiver, delivery id)
DUPLICATES = []


def receiver(index):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            arrived = time.monotonic()
            body = self.rfile.read(int(self.headers["Content-Length"]))
            delivery = self.headers["Rendezvous-Delivery"]
            uid = json.loads(body)["booking"]["uid"]
            with LOCK:
                if (index, delivery) in SEEN:
                    DUPLICATES.append(delivery)
                SEEN.add((index, delivery))
                ARRIVALS.setdefault(uid, []).append(arrived)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/hooks"


def call(base, path, body, key=None):
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(base + path, json.dumps(body).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise SystemExit(f"POST {path}: {error.code} {error.read().decode(errors='replace')}") from None


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def wait_for(condition, what, limit=120):
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.01)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("key")
    parser.add_argument("first_start", type=int, help="first free start of acme/hooked for the latency run")
    parser.add_argument("--go", required=True, help="file whose appearance ends the wrk phase")
    parser.add_argument("--ready", required=True, help="file written once the endpoints are registered")
    parser.add_argument("--count", type=int, default=200)
    args = parser.parse_args()

    for index in range(3):
        call(args.base, "/api/v1/webhooks", {"url": receiver(index), "events": ["booking.created"],
                                             "event_types": ["acme/hooked"]}, args.key)
    open(args.ready, "w").close()
    wait_for(lambda: os.path.exists(args.go), "the wrk phase", limit=600)
    expected = int(open(args.go).read().strip() or 0)
    wait_for(lambda: sum(len(a) for a in ARRIVALS.values()) >= 3 * expected, "the wrk phase's deliveries")
    delivered = sum(len(a) for a in ARRIVALS.values())

    first, last = [], []
    for n in range(args.count):
        start = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(args.first_start + n * 600))
        sent = time.monotonic()
        uid = call(args.base, "/api/v1/bookings", {
            "event_type": "acme/hooked", "start": start,
            "attendee": {"name": "Latency", "email": f"latency{n}@example.org", "timezone": "UTC"},
        })["uid"]
        wait_for(lambda: len(ARRIVALS.get(uid, [])) == 3, f"booking {uid}'s deliveries", limit=60)
        arrivals = ARRIVALS[uid]
        first.append((min(arrivals) - sent) * 1000)
        last.append((max(arrivals) - sent) * 1000)
    if DUPLICATES:
        raise SystemExit(f"{len(DUPLICATES)} deliveries arrived twice")
    print(f"DELIVERED={delivered}")
    print(f"LATENCY_P50_MS={statistics.median(first):.1f}")
    print(f"LATENCY_P95_MS={percentile(first, 95):.1f}")
    print(f"LATENCY_ALL3_P95_MS={percentile(last, 95):.1f}")


if __name__ == "__main__":
    main()
