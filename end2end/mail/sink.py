#!/usr/bin/env python3
"""SMTP sink for the Rendezvous test suite.

`serve` accepts mail on a loopback SMTP port and shows it on a JSON HTTP API, with every calendar
parsed and checked by the `icalendar` package, so the invitations the server writes are read by a
parser independent of the one that wrote them. It can also hold sessions after DATA without
answering ("stall"), to simulate a mail server that dies before it accepts a message, and refuse
chosen recipients for good (550), to make a delivery fail permanently.
`check FILE...` applies the same calendar rules offline.

Runs in the virtualenv that scripts/lib/python.sh sets up (aiosmtpd, icalendar, stdlib only).
"""

import argparse
import asyncio
import email
import email.policy
import ipaddress
import json
import signal
import socket
import socketserver
import sys
import threading
from datetime import date, datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import icalendar
from aiosmtpd.smtp import SMTP

CALENDAR_TYPES = {"text/calendar", "application/ics"}
REQUIRED_EVENT_PROPERTIES = (
    "UID", "SEQUENCE", "DTSTAMP", "DTSTART", "DTEND", "ORGANIZER", "ATTENDEE", "DESCRIPTION", "STATUS",
)
# iTIP: a REQUEST describes a booked event, a CANCEL a cancelled one.
STATUS_FOR_METHOD = {"REQUEST": "CONFIRMED", "CANCEL": "CANCELLED"}
DATE_TIME_PROPERTIES = ("DTSTAMP", "DTSTART", "DTEND")


# ---- calendars ----


def parse_calendar(data, content_method=None):
    """Parses one iCalendar object; returns (fields, problems), fields empty if it does not parse.

    content_method is the `method` parameter of the MIME part's Content-Type, which iMIP
    (RFC 6047) requires to match the calendar's METHOD.
    """
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except Exception as error:  # icalendar raises ValueError and friends on malformed input
        return {}, [f"does not parse: {error}"]
    events = calendar.walk("VEVENT")
    event = events[0] if events else icalendar.Event()
    return calendar_fields(calendar, event), calendar_problems(calendar, events, content_method)


def calendar_fields(calendar, event):
    """The values tests assert on, with instants in UTC so any TZID the writer chose compares equal."""
    return {
        "method": text(calendar.get("METHOD")),
        "uid": text(event.get("UID")),
        "sequence": integer(decoded(event, "SEQUENCE")),
        "status": text(event.get("STATUS")),
        "dtstamp": iso(decoded(event, "DTSTAMP")),
        "dtstart": iso(decoded(event, "DTSTART")),
        "dtend": iso(decoded(event, "DTEND")),
        "summary": text(event.get("SUMMARY")),
        "description": text(event.get("DESCRIPTION")),
        "location": text(event.get("LOCATION")),
        "url": text(event.get("URL")),
        "organizer": address(event.get("ORGANIZER")),
        "attendees": [address(a) for a in as_list(event.get("ATTENDEE"))],
    }


def calendar_problems(calendar, events, content_method):
    """Everything a mail client would trip over, as short sentences."""
    problems = [f"{name}: {error}" for component in calendar.walk() for name, error in component.errors]
    if calendar.name != "VCALENDAR":
        problems.append(f"top-level component is {calendar.name}, expected VCALENDAR")
    if len(events) != 1:
        problems.append(f"{len(events)} VEVENT components, expected exactly 1")
    method = text(calendar.get("METHOD"))
    if method is None:
        problems.append("METHOD missing")
    elif method not in STATUS_FOR_METHOD:
        problems.append(f"METHOD:{method} is neither REQUEST nor CANCEL")
    if content_method is not None and method is not None and content_method.upper() != method:
        problems.append(f"Content-Type method={content_method} does not match METHOD:{method}")
    if events:
        problems += event_problems(events[0], method)
    return problems


def event_problems(event, method):
    """Checks the one VEVENT: required properties, real date-times, and a status fitting METHOD."""
    problems = [f"{name} missing" for name in REQUIRED_EVENT_PROPERTIES if name not in event]
    if "LOCATION" not in event and "URL" not in event:
        problems.append("neither LOCATION nor URL")
    for name in DATE_TIME_PROPERTIES:
        value = decoded(event, name)
        if isinstance(value, datetime) and value.tzinfo is None:
            problems.append(f"{name} is a floating time, expected UTC or a TZID")
        elif isinstance(value, date) and not isinstance(value, datetime):
            problems.append(f"{name} is a date, expected a date-time")
    start, end = decoded(event, "DTSTART"), decoded(event, "DTEND")
    if is_aware(start) and is_aware(end) and end <= start:
        problems.append(f"DTEND {iso(end)} is not after DTSTART {iso(start)}")
    status, wanted = text(event.get("STATUS")), STATUS_FOR_METHOD.get(method)
    if status is not None and wanted is not None and status != wanted:
        problems.append(f"METHOD:{method} needs STATUS:{wanted}, got STATUS:{status}")
    return problems


def decoded(component, name):
    """The Python value of a property, None when absent (a broken value decodes to its raw text)."""
    try:
        return component.decoded(name)
    except KeyError:
        return None


def iso(value):
    """ISO 8601, UTC with a Z for zoned date-times; floating times and dates as they are."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    return text(value)


def is_aware(value):
    return isinstance(value, datetime) and value.tzinfo is not None


def integer(value):
    return value if isinstance(value, int) else None


def text(value):
    return None if value is None else str(value)


def address(value):
    """A calendar address without its mailto: scheme."""
    if value is None:
        return None
    value = str(value)
    return value[len("mailto:"):] if value.lower().startswith("mailto:") else value


def as_list(value):
    """icalendar gives a repeated property as a list and a single one as a bare value."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# ---- messages ----


def parse_message(content, mail_from, rcpt_to):
    """Turns one accepted message into the JSON record the API serves (id and errors added later)."""
    record = {
        "mail_from": mail_from,
        "rcpt_to": list(rcpt_to),
        "subject": None,
        "message_id": None,
        "date": None,
        "text": None,
        "html": None,
        "attachments": [],
        "ics": [],
        "ics_errors": [],
        "raw": content.decode("utf-8", errors="replace"),
    }
    try:
        read_parts(email.message_from_bytes(content, policy=email.policy.default), record)
    except Exception as error:  # a test must see a malformed message, not a 500 to the sender
        record["ics_errors"].append(f"message does not parse: {error}")
        return record
    for kind in ("text", "html"):
        if record[kind] is None:
            record["ics_errors"].append(f"no text/{'plain' if kind == 'text' else 'html'} part")
    return record


def read_parts(message, record):
    """Fills headers, bodies, attachments and calendars from every leaf MIME part."""
    for name in ("subject", "message_id", "date"):
        value = message.get(name.replace("_", "-"))
        record[name] = None if value is None else str(value).strip()
    for part in message.walk():
        if part.is_multipart():
            continue
        content_type, filename = part.get_content_type(), part.get_filename()
        is_attachment = filename is not None or part.get_content_disposition() == "attachment"
        if is_attachment:
            record["attachments"].append({"filename": filename, "content_type": content_type})
        elif content_type in ("text/plain", "text/html"):
            kind = "text" if content_type == "text/plain" else "html"
            if record[kind] is None:
                record[kind] = part_text(part)
        if content_type in CALENDAR_TYPES:
            read_calendar(part, content_type, filename, record)


def read_calendar(part, content_type, filename, record):
    """Parses a calendar part, inline alternative or attachment alike, labelling its problems."""
    fields, problems = parse_calendar(part.get_payload(decode=True) or b"", part.get_param("method"))
    fields["part"] = {"content_type": content_type, "filename": filename}
    record["ics"].append(fields)
    label = content_type if filename is None else f"{content_type} {filename}"
    record["ics_errors"] += [f"{label}: {problem}" for problem in problems]


def part_text(part):
    """A text part decoded by its charset (UTF-8 if unknown), with the wire's CRLFs made LFs."""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        content = (part.get_payload(decode=True) or b"").decode("utf-8", errors="replace")
    return content.replace("\r\n", "\n")


# ---- the sink ----


class Sink:
    """The messages, the error log and the stall switch.

    Everything is touched on the event loop thread only; the HTTP threads go through call(), so no
    locks are needed. It is also the aiosmtpd handler.
    """

    def __init__(self, loop):
        self.loop = loop
        self.messages = []
        self.errors = []
        self.next_id = 1
        self.release_event = None  # an asyncio.Event while stalling
        self.held = 0
        self.refused = set()  # lower-case addresses answered with a permanent 550

    def call(self, function, *args):
        """Runs function on the loop thread from an HTTP thread and returns its result."""

        async def run():
            return function(*args)

        return asyncio.run_coroutine_threadsafe(run(), self.loop).result(timeout=30)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        """aiosmtpd hook: refuse the addresses a test marked as bouncing, for good (550)."""
        if address.lower() in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        """aiosmtpd hook: store the message and accept it, after being released when stalling.

        If the client goes away while held, aiosmtpd cancels this coroutine, so the message is
        dropped: like a real server that died before its 250, it never delivered it.
        """
        if self.release_event is not None:
            await self.hold(self.release_event)
        self.store(parse_message(envelope.content, envelope.mail_from, envelope.rcpt_tos))
        return "250 OK"

    async def hold(self, release_event):
        self.held += 1
        try:
            await release_event.wait()
        finally:
            self.held -= 1

    def store(self, record):
        record["id"] = self.next_id
        self.next_id += 1
        self.record_errors(f"message {record['id']}", record["ics_errors"])
        self.messages.append(record)

    def record_errors(self, source, problems):
        self.errors += [f"{source}: {problem}" for problem in problems]

    def messages_to(self, recipient):
        if recipient is None:
            return list(self.messages)
        recipient = recipient.lower()
        return [m for m in self.messages if recipient in (r.lower() for r in m["rcpt_to"])]

    def stall(self):
        if self.release_event is None:
            self.release_event = asyncio.Event()

    def release(self):
        if self.release_event is not None:
            self.release_event.set()
            self.release_event = None


# ---- HTTP API ----


def get_messages(sink, query, body):
    return 200, {"messages": sink.call(sink.messages_to, query.get("to", [None])[0])}


def delete_messages(sink, query, body):
    sink.call(sink.messages.clear)
    return 204, None


def post_stall(sink, query, body):
    sink.call(sink.stall)
    return 204, None


def post_release(sink, query, body):
    sink.call(sink.release)
    return 204, None


def get_stalled(sink, query, body):
    return 200, {"held": sink.call(lambda: sink.held)}


def post_check_ics(sink, query, body):
    fields, problems = parse_calendar(body)
    sink.call(sink.record_errors, "check-ics", problems)
    return 200, {**fields, "errors": problems}


def post_refuse(sink, query, body):
    sink.call(sink.refused.add, query.get("address", [""])[0].lower())
    return 204, None


def delete_refuse(sink, query, body):
    sink.call(sink.refused.discard, query.get("address", [""])[0].lower())
    return 204, None


def get_ics_errors(sink, query, body):
    return 200, {"errors": sink.call(list, sink.errors)}


def get_health(sink, query, body):
    return 200, "ok"


ROUTES = {
    ("GET", "/messages"): get_messages,
    ("DELETE", "/messages"): delete_messages,
    ("POST", "/stall"): post_stall,
    ("POST", "/release"): post_release,
    ("GET", "/stalled"): get_stalled,
    ("POST", "/check-ics"): post_check_ics,
    ("POST", "/refuse"): post_refuse,
    ("DELETE", "/refuse"): delete_refuse,
    ("GET", "/ics-errors"): get_ics_errors,
    ("GET", "/health"): get_health,
}


class ApiHandler(BaseHTTPRequestHandler):
    """One request, dispatched through ROUTES; keep-alive, so the body is always read."""

    protocol_version = "HTTP/1.1"

    def do_GET(self):
        url = urlsplit(self.path)
        body = self.read_body()
        route = ROUTES.get((self.command, url.path))
        if route is None:
            known = any(path == url.path for _, path in ROUTES)
            return self.reply(405 if known else 404, {"error": f"no route {self.command} {url.path}"})
        # A literal "+" in ?to=a+b@example.com is part of the address, not an encoded space.
        query = parse_qs(url.query.replace("+", "%2B"))
        try:
            status, payload = route(self.server.sink, query, body)
        except Exception as error:
            status, payload = 500, {"error": repr(error)}
        self.reply(status, payload)

    do_POST = do_DELETE = do_PUT = do_GET

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self.read_chunks()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def read_chunks(self):
        body = b""
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            body += self.rfile.read(size)
            self.rfile.readline()
        while self.rfile.readline().strip():  # trailer section
            pass
        return body

    def reply(self, status, payload):
        self.send_response(status)
        if status == 204:
            self.end_headers()
            return
        if isinstance(payload, str):
            data, content_type = payload.encode(), "text/plain; charset=utf-8"
        else:
            data, content_type = json.dumps(payload).encode(), "application/json"
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        """Quiet: the test suite reads our output, and the messages themselves are on the API."""


class ApiServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address, sink):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.sink = sink
        super().__init__(address, ApiHandler)

    def server_bind(self):
        """Binds without HTTPServer's reverse DNS lookup of the host, which can hang offline."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


# ---- commands ----


async def serve(host, smtp_port, http_port):
    """Runs both listeners until SIGTERM or SIGINT; the one stdout line says where they are."""
    loop = asyncio.get_running_loop()
    sink = Sink(loop)
    smtp = await loop.create_server(
        lambda: SMTP(sink, hostname="rendezvous-mail-sink", enable_SMTPUTF8=True), host, smtp_port
    )
    api = ApiServer((host, http_port), sink)
    threading.Thread(target=api.serve_forever, args=(0.1,), name="http", daemon=True).start()
    smtp_bound = smtp.sockets[0].getsockname()[1]
    print(f"mail sink smtp={host}:{smtp_bound} http={host}:{api.server_address[1]}", flush=True)
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    smtp.close()
    api.shutdown()
    api.server_close()


def check(files):
    """Validates .ics files offline; prints each problem, exit status 1 if there was any."""
    problems = []
    for name in files:
        try:
            data = Path(name).read_bytes()
        except OSError as error:
            problems.append(f"{name}: cannot read: {error.strerror}")
            continue
        problems += [f"{name}: {problem}" for problem in parse_calendar(data)[1]]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{len(files)} calendar files valid")
    return 0


def loopback(host):
    """--host must be a loopback address: the sink takes anyone's mail and must not be reachable."""
    try:
        if ipaddress.ip_address(host).is_loopback:
            return host
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{host} is not a loopback IP address")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="run the SMTP sink and its HTTP API")
    serve_parser.add_argument("--smtp-port", type=int, default=0, help="0 picks a free port")
    serve_parser.add_argument("--http-port", type=int, default=0, help="0 picks a free port")
    serve_parser.add_argument("--host", type=loopback, default="127.0.0.1")
    check_parser = commands.add_parser("check", help="validate .ics files")
    check_parser.add_argument("files", nargs="+", metavar="FILE")
    args = parser.parse_args()
    if args.command == "check":
        return check(args.files)
    asyncio.run(serve(args.host, args.smtp_port, args.http_port))
    return 0


if __name__ == "__main__":
    sys.exit(main())
