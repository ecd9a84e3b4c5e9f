"""A local stand-in for the Anthropic Messages endpoint: replays scripted model turns.

Used to record the cassettes (the real API is unreachable from here) and to test retries and
timeouts. It speaks just enough of POST /v1/messages for the SDK: a message with content
blocks and usage, or a scripted error status. Usage is computed from the request so that
cached-prefix accounting looks like the real thing: the system prompt and tools count as a
cache write on the first request and a cache read afterwards.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Status:
    """A scripted HTTP error (429, 529, 500 ...)."""

    code: int
    kind: str = "rate_limit_error"
    headers: dict = field(default_factory=lambda: {"retry-after-ms": "5"})


@dataclass
class Slow:
    """Answer ``then`` after ``seconds`` (longer than the client's timeout to test it)."""

    seconds: float
    then: object = None


def text(t: str) -> dict:
    return {"type": "text", "text": t}


def tool_use(id_: str, name: str, input_: dict) -> dict:
    return {"type": "tool_use", "id": id_, "name": name, "input": input_}


class StandIn:
    def __init__(self, script: list):
        self.script = list(script)
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        self._cached = False
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output clean
                pass

            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                stand_in.requests.append(body)
                stand_in.headers.append({k.lower(): v for k, v in self.headers.items()})
                item = stand_in.script.pop(0) if stand_in.script else Status(500, "api_error", {})
                if isinstance(item, Slow):
                    time.sleep(item.seconds)
                    item = item.then
                if isinstance(item, Status):
                    payload = {"type": "error", "error": {"type": item.kind,
                                                          "message": f"stand-in {item.code}"}}
                    return self._send(item.code, payload, item.headers)
                self._send(200, stand_in._message(body, item), {})

            def _send(self, code, payload, headers):
                data = json.dumps(payload).encode()
                try:
                    self.send_response(code)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.send_header("request-id", f"req_standin_{len(stand_in.requests)}")
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _message(self, body: dict, content: list[dict]) -> dict:
        prefix = len(json.dumps(body.get("system"))) + len(json.dumps(body.get("tools")))
        rest = len(json.dumps(body.get("messages")))
        cached = prefix // 4
        usage = {"input_tokens": rest // 4 + 8, "output_tokens": len(json.dumps(content)) // 4,
                 "cache_creation_input_tokens": 0 if self._cached else cached,
                 "cache_read_input_tokens": cached if self._cached else 0}
        self._cached = True
        has_tool = any(b["type"] == "tool_use" for b in content)
        return {"id": f"msg_standin_{len(self.requests)}", "type": "message",
                "role": "assistant", "model": body.get("model"), "content": content,
                "stop_reason": "tool_use" if has_tool else "end_turn", "stop_sequence": None,
                "usage": usage}

    def __enter__(self) -> "StandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
