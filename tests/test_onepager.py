"""The HTML one-pager and `persona export`: self-contained, escaped, redacted, every evidence link resolving —
and, in a real headless Chromium (Debian's, driven by Playwright), no console error, no request leaving
the page, a summary sheet that prints on one A4 page, and a PDF printed by the same engine.

The personas come from the evolved sample research (`tests.helpers.evolve_research`), whose interview
turn ``…for en lavere pris. <script>alert('frakt')</script>`` Frugal Fred cites."""

from __future__ import annotations

import os
import re

import pytest

from persona_agent.core.evidence import Evidence
from persona_agent.personas.claims import cited_ids, iter_claims
from persona_agent.personas.export import export_personas, load_persona
from persona_agent.personas.headings import buyer_type_name
from persona_agent.personas.onepager import export_evidence_ids, load_export_analysis, persona_html
from persona_agent.personas.schema import Quote
from tests.helpers import PLANTED_IN, PLANTED_SCRIPT

A4_PRINTABLE_PX = (718, 1043)  # 190 × 276 mm at 96 dpi: A4 less the 10 mm page margins (the sheet's height)


@pytest.fixture(scope="module")
def fred(evolved):
    persona = load_persona(evolved.personas, "frugal-fred")
    assert any(i.startswith(PLANTED_IN) for i in cited_ids(persona)), "the fixture's persona cites the planted turn"
    analysis = load_export_analysis(evolved.settings.analysis_dir)
    evidence = {e.evidence_id: e for e in evolved.store.get(export_evidence_ids(persona, analysis))}
    return persona, evidence, analysis


def test_the_page_is_self_contained_escaped_and_every_evidence_link_resolves(fred):
    persona, evidence, analysis = fred
    html = persona_html(persona, evidence=evidence, analysis=analysis)
    assert PLANTED_SCRIPT not in html and "&lt;script&gt;alert(&#39;frakt&#39;)&lt;/script&gt;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)|@import|url\(""", html, re.IGNORECASE)
    links, anchors = set(re.findall(r'href="#(ev-\d+)"', html)), set(re.findall(r'id="(ev-\d+)"', html))
    assert links and links <= anchors
    appendix = html[html.index('id="evidence"'):]
    for evidence_id in cited_ids(persona):
        assert f"<code>{evidence_id}</code>" in appendix
    assert "trondheim.txt, lines 22–23, customer C0380 (no)" in appendix  # file and place
    for title in ("Goals", "Pains and fears", "Decision criteria", "Channels", "Objections → answers", "Why us",
                  "Age", "Income", "Value (RFM mix)", "Journey", "In their words"):
        assert f">{title}" in html, title
    fragment = persona_html(persona, evidence=evidence, analysis=analysis, standalone=False)
    assert "<html" not in fragment and "@page" not in fragment and fragment.startswith("\n<style>")


def test_the_page_is_labelled_in_the_personas_language(fred):
    # a Norwegian persona's one-pager read "Goals", "Pains and fears", "Who they are" around its Norwegian claims, and
    # its stat claims were shortened only in English ("… of this segment vs …")
    persona, evidence, analysis = fred
    assert persona.provenance is not None
    stat = next(c for _, c in iter_claims(persona) if c.origin == "stats" and " of this segment vs " in c.text)
    norwegian_claim = stat.text.replace(" of this segment vs ", " av dette segmentet mot ").replace(
        " of all respondents", " av alle respondenter")
    norwegian = persona.model_copy(deep=True, update={"provenance": persona.provenance.model_copy(
        update={"language": "no"})})
    for _, claim in iter_claims(norwegian):
        if claim.text == stat.text:
            claim.text = norwegian_claim
    html = persona_html(norwegian, evidence=evidence, analysis=analysis)
    for title in ("Mål", "Smerter og frykt", "Beslutningskriterier", "Kanaler", "Innvendinger → svar",
                  "Hvorfor oss", "Alder", "Inntekt", "Verdi (RFM-fordeling)", "Kundereise", "Med deres egne ord",
                  "Hvem de er", "Opphav", "Belegg"):
        assert f">{title}" in html, title
    for english in ("Pains and fears", "Who they are", "Why us", "the full persona", "Confidence:", "evidence items"):
        assert english not in html, english
    shortened = norwegian_claim.split(" av dette segmentet mot ")[0]
    assert re.search(re.escape(shortened) + r" mot \d+ % av alle", html)  # the summary's shorter tail, in Norwegian
    assert '<html lang="no">' in html
    assert f'class="chip">{buyer_type_name(persona.buyer_type, "no")}<' in html


def test_shared_text_is_redacted(fred):
    persona, evidence, analysis = fred
    leaky = persona.model_copy(deep=True)
    cited = next(i for i in cited_ids(persona) if i.startswith("interviews/"))
    leaky.quotes = [Quote(text="Mail me at ingrid.haugen@example.com or call +47 912 34 567 about the order",
                          evidence_id=cited)]
    mine = {**evidence, cited: Evidence(evidence_id=cited, text="Kunde: skriv til ingrid.haugen@example.com",
                                        kind="interview", source=PLANTED_IN)}
    html = persona_html(leaky, evidence=mine, analysis=analysis)
    assert "ingrid.haugen@example.com" not in html and "912 34 567" not in html
    assert "{{EMAIL}}" in html and "Frugal Fred" in html  # the persona's own (invented) name stays


def test_export_writes_every_format(evolved, tmp_path):
    written = export_personas(evolved.personas, ["frugal-fred", "@Gourmet-Greta"], "html", tmp_path,
                              store=evolved.store, analysis_dir=evolved.settings.analysis_dir)
    assert [w.path.name for w in written] == ["frugal-fred.html", "gourmet-greta.html"]
    for fmt in ("md", "json"):
        path = export_personas(evolved.personas, ["frugal-fred"], fmt, tmp_path)[0].path
        assert path.read_text().strip()
    from persona_agent.core.errors import PersonaError

    with pytest.raises(PersonaError, match="not allowed"):
        export_personas(evolved.personas, ["../etc"], "html", tmp_path)
    with pytest.raises(PersonaError, match="unknown export format"):
        export_personas(evolved.personas, ["frugal-fred"], "docx", tmp_path)


# ------------------------------------------------------------------------------------------ Chromium
@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("playwright.sync_api", reason="pip install 'persona-agent[pdf]' (playwright)")
    from persona_agent.engine.browser import chromium_path, headless_chromium

    if chromium_path(os.environ.get("PERSONA_CHROMIUM")) is None:
        if os.environ.get("PERSONA_CI_REQUIRE_SERVERS"):
            pytest.fail("no Chromium: .ci/run installs Debian's chromium")
        pytest.skip("no Chromium on PATH (apt-get install chromium)")
    with headless_chromium(os.environ.get("PERSONA_CHROMIUM")) as found:
        yield found


def long_persona(persona):
    """Every claim and quote as long as a model might write them: the summary sheet must still fit."""
    longest = persona.model_copy(deep=True)
    for _, claim in iter_claims(longest):
        claim.text = (claim.text + " ") * 4
    for quote in longest.quotes:
        quote.text = (quote.text + " ") * 4
    longest.goals.primary = longest.goals.primary + longest.goals.secondary * 3
    return longest


def test_the_one_pager_in_chromium(fred, browser, tmp_path):
    from pypdf import PdfReader

    from persona_agent.engine.browser import print_pdf

    persona, evidence, analysis = fred
    html = persona_html(persona, evidence=evidence, analysis=analysis)
    page_file = tmp_path / "frugal-fred.html"
    page_file.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 794, "height": 1123})
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    page.goto(page_file.as_uri(), wait_until="load")
    assert problems == []
    assert requests == [page_file.as_uri()]  # nothing else fetched: no font, image, stylesheet or script
    unresolved = page.evaluate("""() => [...document.querySelectorAll('a[href^="#"]')]
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert unresolved == [] and page.locator('a[href^="#ev-"]').count() >= len(cited_ids(persona))
    assert page.evaluate("document.scripts.length") == 0
    assert PLANTED_SCRIPT in page.inner_text("#evidence ~ ol")  # shown as the text it is
    page.screenshot(path=str(tmp_path / "onepager.png"))
    assert (tmp_path / "onepager.png").read_bytes()[:4] == b"\x89PNG"

    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_PRINTABLE_PX[0], "height": A4_PRINTABLE_PX[1]})
    for shown in (html, persona_html(long_persona(persona), evidence=evidence, analysis=analysis)):
        page.set_content(shown, wait_until="load")
        sheet = page.evaluate("""() => { const s = document.getElementById('summary');
            return [s.scrollHeight, s.clientHeight, s.getBoundingClientRect().height]; }""")
        assert sheet[0] <= sheet[1] + 1 and sheet[2] <= A4_PRINTABLE_PX[1] + 1, sheet  # nothing cut off, one page
    page.close()

    pdf = PdfReader(str(print_pdf(browser, html, tmp_path / "frugal-fred.pdf")))  # what `export --format pdf` does
    first, second = pdf.pages[0].extract_text(), pdf.pages[1].extract_text()
    assert "Frugal Fred" in first and "Numbers link to the evidence" in first  # the whole sheet on page 1
    assert second.lstrip().startswith("Frugal Fred: the full persona")
    assert len(pdf.pages) >= 3 and all(abs(float(p.mediabox.width) - 595.3) < 1 for p in pdf.pages)  # A4
