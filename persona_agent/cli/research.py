"""Research commands: ingest, sources, search, analyze."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from persona_agent.cli.app import _console, _settings, _store, app, friendly
from persona_agent.cli.render import _progress, _render_ingest


@app.command()
@friendly
def ingest(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Research folder to ingest.")] = Path("knowledge"),
    kind: Annotated[
        str | None, typer.Option(help="Force one kind for every file: survey | interview | analytics | transactions.")
    ] = None,
    redact: Annotated[
        bool | None,
        typer.Option("--redact/--no-redact",
                     help="Store PII redacted (default: on when the LLM or the embeddings are remote; "
                          "what is sent to a remote service is redacted in any case)."),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune/--no-prune", help="Remove chunks of files that were deleted from the folder.")
    ] = True,
) -> None:
    """Ingest a research folder into the evidence store, incrementally, with provenance."""
    from persona_agent.core.privacy import pseudonym_key
    from persona_agent.research.ingest import ingest_folder

    settings = _settings(ctx)
    store = _store(settings)
    do_redact = settings.sends_research_out if redact is None else redact
    with _progress() as (progress, on_event):
        report = ingest_folder(folder, store, kind=kind, redact=do_redact, prune=prune,
                               max_bytes=settings.max_file_mb * 1024 * 1024, on_event=on_event,
                               pseudonym_key=pseudonym_key(settings.home))
    _render_ingest(report)
    if report.files_failed and not report.files_ok:
        raise typer.Exit(1)


@app.command()
@friendly
def sources(ctx: typer.Context) -> None:
    """List what is in the evidence store, by file and kind."""
    from rich.table import Table

    from persona_agent.research.ingest import list_sources

    store = _store(_settings(ctx))
    table = Table("source", "kind", "chunks", "languages", title=f"Evidence store: {store.count()} chunks")
    for row in list_sources(store):
        table.add_row(row.source, row.kind, str(row.chunks), ", ".join(row.languages))
    _console().print(table)


@app.command()
@friendly
def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="What to look for, in any language.")],
    kind: Annotated[str | None, typer.Option(help="Only this kind: survey | interview | analytics | segment.")] = None,
    where: Annotated[
        list[str] | None, typer.Option(help="Metadata filter key=value (repeatable), e.g. customer=worst.")
    ] = None,
    language: Annotated[
        list[str] | None,
        typer.Option("--language", "-l", help="Only these languages (ISO codes; repeatable or comma list): -l no,da."),
    ] = None,
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 8,
    plain: Annotated[
        bool, typer.Option("--plain", help="Plain cosine similarity, without language balancing (for comparison).")
    ] = False,
) -> None:
    """Show the top evidence for a query, with evidence ids, languages and similarity scores.

    Results are language-balanced: every language in the store that has a match gets a place."""
    from rich.table import Table

    from persona_agent.research.ingest import parse_where, with_languages

    store = _store(_settings(ctx))
    hits = store.search(query, k=k, where=with_languages(parse_where(where or [], kind), language or []),
                        balanced=False if plain else None)
    table = Table(title=f"Top {len(hits)} for “{query}”")
    table.add_column("score")
    table.add_column("evidence id", no_wrap=True, overflow="fold",
                     min_width=max((len(h.evidence.evidence_id) for h in hits), default=11))
    table.add_column("lang")
    table.add_column("text", ratio=1)
    for hit in hits:
        text = hit.evidence.text.replace("\n", " ")
        table.add_row(f"{hit.score:.3f}", hit.evidence.evidence_id,
                      str(hit.evidence.metadata.get("language", "")), text[:160])
    console = _console()
    console.print(table)
    console.print(languages_line(hits, plain or not store.balanced), soft_wrap=True)


def languages_line(hits: list, plain: bool) -> str:
    """What the languages of the results say about how they were drawn."""
    from collections import Counter

    counts = Counter(str(h.evidence.metadata.get("language") or "unknown") for h in hits)
    mix = ", ".join(f"{language} {n}" for language, n in counts.most_common())
    if plain:
        return f"Plain similarity (no language balancing): {mix or 'no results'}."
    if len(counts) > 1:
        return f"Drawn from {len(counts)} languages: {mix} (language-balanced; --plain for raw similarity)."
    return f"All results in one language: {mix or 'no results'}."


@app.command()
@friendly
def analyze(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Research folder with survey / transactions / analytics.")] = Path(
        "knowledge"
    ),
    segments: Annotated[
        int | None, typer.Option("--segments", help="Number of survey segments (default: chosen by silhouette, 2-6).")
    ] = None,
    seed: Annotated[int, typer.Option(help="Random seed: same data and seed give the same segments.")] = 0,
    reference_date: Annotated[
        str | None, typer.Option(help="RFM reference date YYYY-MM-DD (default: day after the last transaction).")
    ] = None,
) -> None:
    """Find segments in the data (survey clusters, RFM, ABC/XYZ, Pareto) and store them as evidence."""
    from persona_agent.analysis.analyze import analyze_folder
    from persona_agent.cli.analysis_tables import analysis_tables
    from persona_agent.core.privacy import pseudonym_key

    settings = _settings(ctx)
    store = _store(settings)
    run = analyze_folder(folder, store, settings.home, k=segments, seed=seed, reference_date=reference_date,
                         max_bytes=settings.max_file_mb * 1024 * 1024, pseudonym_key=pseudonym_key(settings.home))
    console = _console()
    for table in analysis_tables(run.result):
        console.print(table)
    for warning in run.result.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning.stage}: {warning.message}", soft_wrap=True)
    for line in run.read_errors:
        console.print(f"[red]failed:[/red] {line}", soft_wrap=True)
    console.print(f"{len(run.evidence_ids)} evidence items stored (persona search --kind segment …)")
    for path in run.files:
        console.print(f"  wrote {path}")
