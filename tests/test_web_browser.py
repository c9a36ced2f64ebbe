"""The web workspace in a real headless Chromium (Debian's, driven by Playwright): what a marketer
does — open the gallery, a persona, ask and watch the answer stream, open a citation, test a proposal
for objections, try hostile input, revise a persona and see the refusal — first over a scripted model,
then over the OpenAI-compatible server CI starts. Screenshots go to $PERSONA_CI_SCREENSHOTS (else a
temporary folder)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from persona_agent.core.config import load_settings
from persona_agent.testing import HashEmbeddings
from persona_agent.web.server import WebServer
from persona_agent.web.workspace import Workspace
from tests.conftest import FAST_MODEL
from tests.web_support import CHROMIUM, HOSTILE, CitingChatModel, launch_chromium, plain_persona

QUESTION = "What do you think about <script>window.pwned = 3</script> our shipping </textarea> costs?"


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or not CHROMIUM.is_file():
        if os.environ.get("PERSONA_CI_REQUIRE_SERVERS"):
            pytest.fail("CI needs Debian's chromium and playwright: .ci/run installs them")
        pytest.skip("needs /usr/bin/chromium (apt-get install chromium) and playwright")
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("PERSONA_CI_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def serve(settings, llm, personas_dir: Path | None = None) -> WebServer:
    workspace = Workspace(settings=settings, personas_dir=personas_dir or settings.home / "personas", llm=llm,
                          embedder=HashEmbeddings())
    return WebServer(workspace, port=0).start()


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.goto(url)
    return page, problems


def test_a_marketer_in_the_browser(browser, web_world, shots):
    from playwright.sync_api import expect

    server = serve(web_world, CitingChatModel(delay=0.05))
    try:
        page, problems = open_page(browser, server.url + "/")
        expect(page.locator("article.card")).to_have_count(2)
        page.screenshot(path=str(shots / "web-gallery.png"))

        page.click("article.card[data-slug=frugal-fred] h2 a")
        expect(page.locator("h1")).to_have_text("Frugal Fred")
        expect(page.locator(".onepager a.cite").first).to_be_visible()
        page.screenshot(path=str(shots / "web-persona.png"), full_page=True)

        page.click("text=Chat with Frugal Fred")
        page.fill(".new-thread input[name=thread]", f"browser {uuid.uuid4().hex[:8]}")
        page.click(".new-thread button")
        expect(page.locator("#ask input[value=frugal-fred]")).to_be_checked()
        page.fill("#ask textarea", "What do you think about our shipping costs?")
        page.click("#ask button[type=submit]")
        streaming = page.locator("#log .turn.streaming .text")
        expect(streaming).to_contain_text("You asked")  # words arrive before the answer is complete
        answer = page.locator("#log article.turn.answer:not(.streaming)").first
        expect(answer).to_contain_text("Honestly:", timeout=30_000)
        expect(answer.locator(".grounding")).to_have_text("cited")
        assert int(page.locator("#log").get_attribute("data-pieces")) > 5  # it came word by word
        page.fill("#ask textarea", QUESTION)
        page.keyboard.press("Enter")
        hostile = page.locator("#log article.turn.answer:not(.streaming)").nth(1)
        expect(hostile).to_contain_text("<script>window.pwned = 3</script>", timeout=30_000)  # as text
        expect(page.locator("#log .turn.question").last).to_contain_text("</textarea> costs?")
        answer.locator("a.cite").first.click()
        dialog = page.locator("#evidence-dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".chunk-text")).not_to_be_empty()
        expect(dialog.locator("dd.source")).not_to_be_empty()
        page.screenshot(path=str(shots / "web-citation.png"))
        page.keyboard.press("Escape")

        page.fill("#objections textarea", "Fresh beans every month for €9.99 </textarea><b>free shipping</b>")
        page.click("#objections button[type=submit]")
        objection = page.locator("#objection-result li.objection").first
        expect(objection).to_contain_text("Another subscription")
        expect(objection.locator(".severity")).to_have_text("high")
        expect(objection.locator("a.cite")).to_have_count(1)
        page.screenshot(path=str(shots / "web-chat.png"))
        assert page.evaluate("window.pwned") is None

        page.goto(server.url + "/evidence/" + HOSTILE.evidence_id.replace("#", "%23"))
        expect(page.locator(".chunk-text")).to_contain_text("</textarea><script>window.pwned = 1</script>")
        expect(page.locator("dd.respondent")).to_have_text("C0999")
        assert page.evaluate("window.pwned") is None and page.locator("#evidence-dialog img").count() == 0

        page.goto(server.url + "/edit?persona=frugal-fred")
        page.fill("#revise textarea", "make him a coffee snob")
        page.click("#revise button[type=submit]")
        expect(page.locator("#job-status")).to_have_text("failed", timeout=60_000)
        expect(page.locator("#outcome")).to_contain_text("revision refused")  # with its reasons, line by line
        page.screenshot(path=str(shots / "web-refused.png"))
        assert not problems, problems
        page.close()
    finally:
        server.stop()


@pytest.mark.servers
def test_the_real_model_answers_in_the_browser(browser, web_world, openai_server_url, shots, tmp_path):
    """The OpenAI-compatible server CI starts (llama.cpp, the 0.5B model): the answer streams in, is
    marked cited or extrapolated, and a citation on the page opens its chunk."""
    from playwright.sync_api import expect

    settings = load_settings(home=web_world.home, llm="openai", openai_base_url=openai_server_url,
                             model=FAST_MODEL, temperature=0.0, max_tokens=200)
    personas = tmp_path / "personas"
    slug = plain_persona(web_world.home / "personas", personas)
    server = serve(settings, None, personas)  # the workspace builds the model from the settings
    try:
        page, problems = open_page(browser, server.url + "/")
        page.click(f"article.card[data-slug={slug}] h2 a")
        page.click("text=Chat with Office Olga")
        page.fill(".new-thread input[name=thread]", f"real model {uuid.uuid4().hex[:8]}")
        page.click(".new-thread button")
        page.fill("#ask textarea", "Why do you want to pay by invoice?")
        page.click("#ask button[type=submit]")
        answer = page.locator("#log article.turn.answer:not(.streaming)").last
        expect(answer.locator(".text")).not_to_be_empty(timeout=600_000)
        assert int(page.locator("#log").get_attribute("data-pieces")) > 1  # streamed in pieces, as generated
        page.screenshot(path=str(shots / "web-real-answer.png"))
        grounding = answer.locator(".grounding").inner_text()
        assert grounding in ("cited", "extrapolated — not in the research")
        citations = answer.locator("a.cite") if grounding == "cited" else page.locator("#log a.cite")
        if citations.count() == 0:  # the model cited nothing: the persona's own claims link the same way
            page.goto(f"{server.url}/personas/{slug}")
            citations = page.locator(".onepager a.cite")
        evidence_id = citations.first.inner_text()
        citations.first.click()
        expect(page.locator("#evidence-dialog .chunk-id")).to_have_text(evidence_id)
        page.screenshot(path=str(shots / "web-real-model.png"))
        assert not problems, problems
        page.close()
    finally:
        server.stop()
