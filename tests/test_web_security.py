"""The web workspace's guard and jobs: loopback-only without a token, the token otherwise, CSRF on every
POST, the content policy; jobs in the background that two tabs cannot start twice; a store that is
never locked between requests, so `persona ingest` runs beside the server."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from starlette.testclient import TestClient

from persona_agent.core.config import load_settings
from persona_agent.engine.locks import HomeLock
from persona_agent.testing import HashEmbeddings
from persona_agent.web.app import create_app
from persona_agent.web.jobs import Jobs, Line
from persona_agent.web.server import WebServer
from persona_agent.web.workspace import Workspace
from tests.conftest import REPO
from tests.test_web import client_for, csrf, workspace_over
from tests.web_support import CitingChatModel


@pytest.fixture
def client(web_world):
    with client_for(workspace_over(web_world)) as test_client:
        yield test_client


def test_every_page_carries_a_content_policy_without_inline_script(client):
    page = client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in page.text and "<script src=\"/static/app.js\" defer></script>" in page.text
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page.text)  # no external assets
    for asset in ("/static/app.js", "/static/app.css", "/static/favicon.svg"):
        assert client.get(asset).status_code == 200
    assert "cdn" not in client.get("/static/app.css").text.lower()


def test_a_post_without_its_csrf_token_is_refused(client):
    form = {"question": "hi", "persona": "frugal-fred", "thread": "csrf"}
    assert client.post("/chat/ask", data=form).status_code == 403
    assert client.post("/chat/ask", data={**form, "csrf_token": "0" * 64}).status_code == 403
    token = csrf(client)
    cross_site = client.post("/chat/ask", data={**form, "csrf_token": token}, headers={"origin": "http://evil.test"})
    assert cross_site.status_code == 403
    stranger = TestClient(client.app, base_url="http://127.0.0.1")  # another browser: its own session
    assert stranger.post("/chat/ask", data={**form, "csrf_token": token}).status_code == 403
    for path in ("/edit/revise", "/jobs/ingest", "/jobs/generate", "/chat/objections"):
        assert client.post(path, data={"persona": "frugal-fred"}).status_code == 403
    assert client.post("/chat/ask", content=b"x" * 300_000, headers={"x-csrf-token": token}).status_code == 413
    assert client.post("/chat/ask", data={**form, "csrf_token": token}, follow_redirects=False).status_code == 303


def test_without_a_token_only_this_machine_is_served(client):
    assert client.get("/", headers={"host": "evil.example:8765"}).status_code == 421  # DNS rebinding
    assert client.get("/", headers={"host": "localhost:8765"}).status_code == 200


def test_a_token_guards_every_request(web_world):
    app = create_app(workspace_over(web_world), token="s3cret-token")
    with TestClient(app, base_url="http://persona.example") as anonymous:
        assert anonymous.get("/").status_code == 401
        assert anonymous.get("/static/app.js").status_code == 401
        assert anonymous.get("/login", params={"token": "wrong"}).status_code == 401
        assert anonymous.get("/", headers={"authorization": "Bearer s3cret-token"}).status_code == 200
        login = anonymous.get("/login", params={"token": "s3cret-token"}, follow_redirects=False)
        assert login.status_code == 303 and login.headers["location"] == "/"
        assert "s3cret-token" not in login.headers["set-cookie"] and "HttpOnly" in login.headers["set-cookie"]
        assert anonymous.get("/").status_code == 200  # the cookie from /login


def test_binding_beyond_this_machine_needs_a_token_and_redacts(web_world):
    workspace = workspace_over(web_world)
    server = WebServer(workspace, host="0.0.0.0", port=0)
    try:
        assert server.token and workspace.shared and server.login_url.endswith(f"/login?token={server.token}")
        assert workspace.redactor() is not None
        assert "Frugal Fred" in workspace.redactor()("Frugal Fred wrote to anna.berg@example.com")
        assert "anna.berg@example.com" not in workspace.redactor()("Frugal Fred wrote to anna.berg@example.com")
    finally:
        server.socket.close()
    local = WebServer(workspace_over(web_world), port=0)
    try:
        assert local.token is None and not local.app.app.state.workspace.shared
    finally:
        local.socket.close()


def test_the_same_job_is_not_started_twice():
    jobs, release = Jobs(), threading.Event()

    def work(job):
        job.emit("start", name="ingest", total=2)
        job.emit("advance", name="ingest", item="a.md")
        release.wait(10)
        return [Line("ok", "done")]

    first, fresh = jobs.start("ingest:/research", "Ingest", work)
    second, again = jobs.start("ingest:/research", "Ingest", work)
    assert fresh and not again and second is first
    other, other_fresh = jobs.start("ingest:/elsewhere", "Ingest", lambda job: [])
    assert other_fresh and other is not first
    release.set()
    for _ in range(200):
        if first.status != "running":
            break
        time.sleep(0.02)
    assert first.status == "done" and first.tasks() == {"ingest": {"total": 2, "done": 1, "item": "a.md"}}
    assert jobs.start("ingest:/research", "Ingest", lambda job: [])[1]  # finished: may run again


class GatedEmbeddings(HashEmbeddings):
    """Embeds documents only once ``gate`` is set: an ingest that stays running while the test looks."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def embed_documents(self, texts):
        self.gate.wait(30)
        return super().embed_documents(texts)


def test_a_stream_of_measurements_costs_one_line():
    from persona_agent.web.jobs import Job

    job = Job(id="j", key="k", title="t")
    job.emit("stage", persona="fred", stage="draft goals")
    seen = job.cursor
    for generated in (1, 2, 3):
        job.emit("tokens", persona="fred", generated=generated, seconds=0.5 * generated, rate=2.0)
    job.emit("tokens", persona="greta", generated=1, seconds=0.1, rate=10.0)
    job.emit("warning", message="a.md: empty")
    job.emit("warning", message="b.md: empty")
    kinds = [(e["kind"], e.get("persona"), e.get("generated")) for e in job.events]
    assert kinds == [("stage", "fred", None), ("tokens", "fred", 3), ("tokens", "greta", 1),
                     ("warning", None, None), ("warning", None, None)]
    assert [e.get("generated") for _, e in job.events_after(seen)][:1] == [3]  # the update, after the cursor
    assert job.cursor == 7  # every emit moves it, replaced or not


def test_two_tabs_starting_one_ingest_share_the_job(tmp_path):
    folder = _tiny_research(tmp_path / "research", "tabs")
    settings = load_settings(home=tmp_path / "home")
    embedder = GatedEmbeddings()
    with client_for(Workspace(settings=settings, personas_dir=tmp_path / "personas", embedder=embedder,
                              llm=CitingChatModel())) as tab:
        token = csrf(tab)
        first = tab.post("/jobs/ingest", data={"csrf_token": token, "folder": str(folder)}, follow_redirects=False)
        second = tab.post("/jobs/ingest", data={"csrf_token": token, "folder": str(folder)}, follow_redirects=False)
        job_url = first.headers["location"]
        assert second.headers["location"] == job_url + "?again=1"
        assert "already running" in tab.get(second.headers["location"]).text
        embedder.gate.set()
        events, end = [], None
        with tab.stream("GET", job_url + "/events") as stream:
            for line in stream.iter_lines():
                if line.startswith("data: ") and end is None and '"status"' not in line:
                    events.append(json.loads(line[6:]))
                elif line.startswith("data: "):
                    end = json.loads(line[6:])
        assert {"kind": "start", "name": "ingest", "total": 2} in events
        assert end["status"] == "done" and "chunks embedded" in end["html"]
        assert "2 files" in tab.get(job_url).text
        bad = tab.post("/jobs/ingest", data={"csrf_token": token, "folder": str(tmp_path / "none")})
        assert bad.status_code == 400 and "not a folder" in bad.text


def _tiny_research(folder: Path, word: str) -> Path:
    (folder / "interviews").mkdir(parents=True)
    for n in (1, 2):
        (folder / "interviews" / f"2026-0{n}-01-{word}.md").write_text(
            f"Interviewer: What did you think?\nCustomer: The {word} grinder number {n} was fine, shipping was slow.\n")
    return folder


def test_the_store_is_never_locked_between_requests_so_a_cli_ingest_runs_beside(tmp_path):
    home = tmp_path / "home"
    research = _tiny_research(tmp_path / "research", "first")
    settings = load_settings(home=home, lock_timeout=5)
    workspace = Workspace(settings=settings, personas_dir=tmp_path / "personas", embedder=HashEmbeddings(),
                          llm=CitingChatModel())
    server = WebServer(workspace, port=0).start()
    stop = threading.Event()
    failures: list[str] = []

    def browse() -> None:  # a reader that keeps the web server busy throughout
        while not stop.is_set():
            status = httpx.get(f"{server.url}/evidence", params={"q": "grinder"}, timeout=30).status_code
            if status != 200:
                failures.append(str(status))

    try:
        with httpx.Client(base_url=server.url) as web:
            token = csrf_from(web.get("/jobs").text)
            job = web.post("/jobs/ingest", data={"csrf_token": token, "folder": str(research)}).url.path
            _wait_done(web, job)
            reader = threading.Thread(target=browse, daemon=True)
            reader.start()
            with HomeLock(home, timeout=1.0).write("the test"):  # between requests nobody holds it
                pass
            second = _tiny_research(tmp_path / "more", "second")
            cli = subprocess.run([sys.executable, str(REPO / "tests" / "procs.py"), "ingest", str(home), str(second)],
                                 capture_output=True, text=True, timeout=300)
            assert cli.returncode == 0, cli.stderr
            assert json.loads(cli.stdout)["embedded"] > 0
            stop.set()
            reader.join(30)
            assert not failures
            page = web.get("/evidence", params={"q": "second grinder"}).text
            assert "2026-01-01-second.md" in page  # the server sees what the CLI wrote
    finally:
        stop.set()
        server.stop()


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf-token" content="([0-9a-f]+)"', html).group(1)


def _wait_done(web: httpx.Client, job: str) -> None:
    for _ in range(600):
        if 'data-status="running"' not in web.get(job).text:
            return
        time.sleep(0.1)
    raise AssertionError(f"{job} did not finish")


def test_persona_serve_shows_what_persona_demo_wrote(web_world, isolated):
    """`persona serve` with no options: 127.0.0.1, the personas under $PERSONA_HOME/personas."""
    import os
    import shutil

    home = isolated / ".persona"
    shutil.copytree(web_world.home / "personas", home / "personas")
    command = [sys.executable, "-m", "persona_agent.cli", "serve", "--port", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PERSONA_HOME": str(home)})
    try:
        line = process.stdout.readline()
        url = re.search(r"(http://127\.0\.0\.1:\d+)/ ", line).group(1)
        assert str(home / "personas") in line
        gallery = httpx.get(url + "/", timeout=30).text
        assert "Frugal Fred" in gallery and "Gourmet Greta" in gallery
    finally:
        process.terminate()
        process.wait(30)


def test_a_shared_workspace_redacts_what_it_shows(web_world):
    """Bound beyond this machine, pages follow the privacy policy: personal data in research and model
    text is redacted (the personas' invented names stay), also while an answer streams."""
    workspace = workspace_over(web_world, shared=True)
    with TestClient(create_app(workspace, token="t0ken"), base_url="http://persona.example",
                    headers={"authorization": "Bearer t0ken"}) as shared:
        token = csrf(shared)
        data = {"csrf_token": token, "persona": "frugal-fred", "thread": "shared",
                "question": "Frugal Fred, would you write to anna.berg@example.com or call +47 912 34 567?"}
        with shared.stream("POST", "/chat/ask", data=data, headers={"accept": "application/x-ndjson"}) as response:
            events = [json.loads(line) for line in response.iter_lines() if line.strip()]
        assert not [e for e in events if e["type"] == "token"]  # only whole sentences, redacted
        shown = json.dumps(events)
        assert "anna.berg@example.com" not in shown and "912 34 567" not in shown
        assert "Frugal Fred" in shown
        history = shared.get("/chat", params={"thread": "shared"}).text
        assert "anna.berg@example.com" not in history and "/tmp/" not in history  # nor the server's paths


def test_generation_and_a_draft_run_as_jobs_with_progress(web_world, tmp_path):
    from persona_agent.testing import BriefEchoChatModel

    workspace = Workspace(settings=web_world, personas_dir=tmp_path / "personas", embedder=HashEmbeddings(),
                          llm=BriefEchoChatModel(names=["Office Olga"]))
    with client_for(workspace) as tab:
        token = csrf(tab)
        refused = tab.post("/jobs/generate", data={"csrf_token": token, "count": "many"})
        assert refused.status_code == 400 and "a number from 1 to 20" in refused.text
        job_url = tab.post("/jobs/generate", data={"csrf_token": token, "count": "1"},
                           follow_redirects=False).headers["location"]
        job = tab.app.app.state.jobs.get(job_url.rsplit("/", 1)[1])
        for _ in range(1200):
            if job.status != "running":
                break
            time.sleep(0.1)
        assert job.status == "done", [line.text for line in job.lines]
        kinds = {event["kind"] for _, event in job.events_after(0)}
        assert {"start", "advance", "stage"} <= kinds
        page = tab.get(job_url).text
        assert "Office Olga (@office-olga)" in page and 'href="/personas/office-olga"' in page
        assert tab.get("/personas/office-olga").status_code == 200
        draft = tab.post("/edit/draft", data={"csrf_token": token, "segment": "S1"}, follow_redirects=False)
        job = tab.app.app.state.jobs.get(draft.headers["location"].rsplit("/", 1)[1])
        for _ in range(1200):
            if job.status != "running":
                break
            time.sleep(0.1)
        assert job.status == "done" and job.lines[0].text.startswith("drafted @"), [line.text for line in job.lines]
        assert "segment:S1" in job.lines[0].text
