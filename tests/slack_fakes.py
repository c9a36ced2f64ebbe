"""A local fake of the Slack Web API, and the Bolt app served over real signed HTTP on 127.0.0.1
against it: shared by the Slack tests."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from slack_sdk import WebClient

from persona_agent.slack.bot import build_app, sessions_over
from persona_agent.slack.server import EventServer, HttpLimits
from persona_agent.talk.chat import PersonaChat, PersonaLibrary
from persona_agent.talk.conversation import ChatSession
from persona_agent.testing import QueuedChatModel

SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test"


# ------------------------------------------------------------------------------ a fake Slack Web API
class FakeSlack:
    """Records Web API calls; answers auth.test and chat.postMessage like Slack does."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.posted = threading.Condition()
        self._ts = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
                if "json" in (self.headers.get("Content-Type") or ""):
                    args = json.loads(raw or "{}")
                else:
                    args = {k: v[0] for k, v in urllib.parse.parse_qs(raw).items()}
                body = fake.answer(self.path.strip("/"), args)
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()

    def answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        with self.posted:
            self.calls.append((method, args))
            self.posted.notify_all()
            if method == "auth.test":
                return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "user": "bot"}
            if method == "chat.postMessage":
                if args.get("channel") == "CLOCKED":
                    return {"ok": False, "error": "not_in_channel"}
                self._ts += 1
                return {"ok": True, "channel": args["channel"], "ts": f"1800000000.{self._ts:06d}",
                        "message": {"text": args.get("text")}}
            return {"ok": True}

    def posts(self) -> list[dict[str, Any]]:
        return [args for method, args in self.calls if method == "chat.postMessage"]

    def wait_for_posts(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self.posted:
            self.posted.wait_for(lambda: len(self.posts()) >= count, timeout=timeout)
        return self.posts()


class Bot:
    """The Bolt app served over HTTP on 127.0.0.1, talking to a fake Slack; requests signed like Slack."""

    def __init__(self, world, tmp_path, *, process_before_response: bool = True, limits: HttpLimits | None = None,
                 **app_options: Any) -> None:
        store, settings, personas_dir = world
        self.model = QueuedChatModel()
        self.chat = chat = PersonaChat(llm=self.model, store=store, library=PersonaLibrary(personas_dir),
                                       analysis_dir=settings.analysis_dir, check_support=False)
        self.slack = FakeSlack()
        client = WebClient(token=BOT_TOKEN, base_url=self.slack.url)
        sessions = sessions_over(ChatSession(chat=chat, chat_dir=tmp_path / "chat"))
        app = build_app(sessions, bot_token=BOT_TOKEN, signing_secret=SECRET, client=client,
                        process_before_response=process_before_response, **app_options)
        self.server = EventServer(app, "127.0.0.1", 0, limits or HttpLimits()).start()
        self.port = self.server.port
        self.url = f"http://127.0.0.1:{self.port}/slack/events"

    def close(self) -> None:
        self.server.stop()
        self.slack.server.shutdown()
        self.slack.server.server_close()

    def post(self, body: str, content_type: str, *, timestamp: int | None = None, secret: str = SECRET,
             signature: str | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
        timestamp = int(time.time()) if timestamp is None else timestamp
        digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.url, data=body.encode(), method="POST", headers={
            "Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
            "X-Slack-Signature": signature or f"v0={digest}", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def event(self, event: dict[str, Any], **signing: Any) -> tuple[int, str]:
        body = {"token": "legacy", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
                "event_id": f"Ev{event['ts']}", "event_time": int(time.time()), "event": event}
        return self.post(json.dumps(body), "application/json", **signing)

    def command(self, text: str, channel: str = "C1", user: str = "UHUMAN") -> tuple[int, str]:
        form = {"command": "/persona", "text": text, "channel_id": channel, "user_id": user,
                "team_id": "T1", "response_url": f"{self.slack.url}respond", "trigger_id": "1.2.3"}
        return self.post(urllib.parse.urlencode(form), "application/x-www-form-urlencoded")


def mention(text: str, ts: str = "1700000000.000100", thread_ts: str | None = None,
            user: str = "UHUMAN") -> dict[str, Any]:
    event = {"type": "app_mention", "user": user, "text": text, "ts": ts, "channel": "C1", "event_ts": ts}
    return {**event, "thread_ts": thread_ts} if thread_ts else event
