#!/usr/bin/env python3
"""A tiny fake of Anthropic's Messages API, for scripts/claude-cli-e2e.sh (standard library only).

It lets the real Claude Code CLI run one tool call without a model or a network:

- A request whose first user message holds a line `RUN: <command>` and that offers a `Bash` tool is
  answered with a `tool_use` of `Bash` for <command>.
- A request whose last message carries a `tool_result` is answered with a short final text, and the
  tool_result (content and is_error) is appended to the results file as one JSON line together with the
  command it answers.
- Any other request (a title, a summary, a quota probe the CLI makes on the side) gets a plain text answer.

Answers are streamed as server-sent events (message_start, content_block_start, content_block_delta,
content_block_stop, message_delta, message_stop) when the request asks for `"stream": true`, and as one
JSON message otherwise. Every request body is appended to the requests file, for debugging.

Usage: fake_messages_api.py PORT_FILE RESULTS_FILE REQUESTS_FILE
The server binds 127.0.0.1 on a free port and writes the port number to PORT_FILE once it listens.
"""

import itertools
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

_ids = itertools.count(1)
_lock = threading.Lock()
FINAL_TEXT = "toolguard-e2e: the tool call finished."


def _text_of(content):
    """The plain text of a message's content (a string or a list of blocks)."""
    if isinstance(content, str):
        return content
    parts = []
    for block in content or []:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(block.get("text", ""))
    return "\n".join(parts)


def _requested_command(body):
    """The command after `RUN: ` in the conversation's user messages, if any."""
    for message in body.get("messages", []):
        if message.get("role") != "user":
            continue
        for line in _text_of(message.get("content")).splitlines():
            if line.startswith("RUN: "):
                return line[len("RUN: "):]
    return None


def _tool_results(body):
    """The tool_result blocks of the last message."""
    messages = body.get("messages", [])
    if not messages or not isinstance(messages[-1].get("content"), list):
        return []
    return [b for b in messages[-1]["content"] if isinstance(b, dict) and b.get("type") == "tool_result"]


def _offers_bash(body):
    return any(isinstance(t, dict) and t.get("name") == "Bash" for t in body.get("tools", []) or [])


def _answer(body):
    """The content blocks and stop reason to answer with, and the result to record (or None)."""
    command = _requested_command(body)
    results = _tool_results(body)
    if results:
        record = {"command": command, "results": results}
        return [{"type": "text", "text": FINAL_TEXT}], "end_turn", record
    if command is not None and _offers_bash(body):
        block = {
            "type": "tool_use",
            "id": "toolu_e2e_%04d" % next(_ids),
            "name": "Bash",
            "input": {"command": command, "description": "toolguard end-to-end test command"},
        }
        return [block], "tool_use", None
    return [{"type": "text", "text": "ok"}], "end_turn", None


def _message(body, content, stop_reason):
    return {
        "id": "msg_e2e_%04d" % next(_ids),
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "claude-fake"),
        "content": content,
        "stop_reason": stop_reason,
        "stop_sequence": None,
        "usage": {"input_tokens": 10, "output_tokens": 10},
    }


def _events(body, content, stop_reason):
    """The server-sent events that stream one message with the given content blocks."""
    start = _message(body, [], None)
    start["usage"] = {"input_tokens": 10, "output_tokens": 1}
    yield "message_start", {"type": "message_start", "message": start}
    for index, block in enumerate(content):
        if block["type"] == "text":
            yield "content_block_start", {
                "type": "content_block_start", "index": index, "content_block": {"type": "text", "text": ""}}
            yield "content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "text_delta", "text": block["text"]}}
        else:
            empty = dict(block, input={})
            yield "content_block_start", {"type": "content_block_start", "index": index, "content_block": empty}
            yield "content_block_delta", {
                "type": "content_block_delta", "index": index,
                "delta": {"type": "input_json_delta", "partial_json": json.dumps(block["input"])}}
        yield "content_block_stop", {"type": "content_block_stop", "index": index}
    yield "message_delta", {
        "type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": None},
        "usage": {"output_tokens": 10}}
    yield "message_stop", {"type": "message_stop"}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    results_file = None
    requests_file = None

    def log_message(self, *args):  # quiet: the script reads the files, not the access log
        pass

    def _send_json(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._send_json(200, {})

    def do_HEAD(self):
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._send_json(400, {"type": "error", "error": {"type": "invalid_request_error", "message": "not JSON"}})
            return
        with _lock:
            with open(self.requests_file, "a") as f:
                f.write(json.dumps({"path": self.path, "body": body}) + "\n")
        path = self.path.split("?")[0]
        if path.endswith("/count_tokens"):
            self._send_json(200, {"input_tokens": 10})
            return
        if not path.endswith("/v1/messages"):
            self._send_json(404, {"type": "error", "error": {"type": "not_found_error", "message": path}})
            return
        content, stop_reason, record = _answer(body)
        if record is not None:
            with _lock:
                with open(self.results_file, "a") as f:
                    f.write(json.dumps(record) + "\n")
        if not body.get("stream"):
            self._send_json(200, _message(body, content, stop_reason))
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.end_headers()
        for event, data in _events(body, content, stop_reason):
            self.wfile.write(("event: %s\ndata: %s\n\n" % (event, json.dumps(data))).encode())
            self.wfile.flush()
        self.close_connection = True


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: fake_messages_api.py PORT_FILE RESULTS_FILE REQUESTS_FILE")
    port_file, Handler.results_file, Handler.requests_file = sys.argv[1:]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
