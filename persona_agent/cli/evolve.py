"""Commands for personas that evolve and travel: update, diff, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from persona_agent.cli.app import ROUNDS_HELP, _console, _settings, _store, app, friendly
from persona_agent.cli.render import _progress

_ACTION_STYLE = {"unchanged": "dim", "kept": "green", "updated": "yellow", "new": "cyan", "retired": "magenta",
                 "failed": "red"}


@app.command()
@friendly
def update(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Argument(help="Research folder to ingest and analyse again (default: the store as is).")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder of the personas to update.")] = Path("personas"),
    max_rounds: Annotated[int | None, typer.Option(help=ROUNDS_HELP)] = None,
    concurrency: Annotated[int, typer.Option(help="Personas regenerated at the same time.")] = 4,
    new: Annotated[
        bool, typer.Option("--new/--no-new", help="Write personas for segments that are new since the last analysis.")
    ] = True,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the model again instead of replaying cached replies.")
    ] = False,
) -> None:
    """Bring personas up to date with changed research: regenerate what changed, keep (and refresh) the rest."""
    from persona_agent.workflows.update import update_from_folder

    settings = _settings(ctx)
    if no_cache:
        settings = settings.model_copy(update={"llm_cache": False})
    with _progress() as (_, on_event):
        report = update_from_folder(settings, folder, out_dir=out, max_rounds=max_rounds, concurrency=concurrency,
                                    new_segments=new, on_event=on_event)
    render_update(report)
    if any(d.action == "failed" for d in report.decisions):
        raise typer.Exit(1)


def render_update(report: Any) -> None:
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    table = Table("persona", "segment", "action", "why", "share before → after", title=f"Personas in {report.out_dir}")
    for decision in report.decisions:
        before = f"{decision.share_before * 100:.0f} %" if decision.share_before is not None else "–"
        after = f"{decision.share_after * 100:.0f} %" if decision.share_after is not None else "–"
        style = _ACTION_STYLE.get(decision.action, "")
        who = f"{decision.name} ({decision.slug})" if decision.slug else "–"
        table.add_row(escape(who), decision.key, f"[{style}]{decision.action}[/{style}]",
                      escape("; ".join(decision.reasons)), f"{before} → {after}")
    console.print(table)
    if report.untouched:
        console.print(f"No persona for {', '.join(report.untouched)} (never generated): "
                      "`persona generate --segment …` writes one.", soft_wrap=True)
    analysed = "the research changed: analysed again" if report.analysed else "the analysis was current"
    console.print(f"{analysed}; {report.calls} LLM calls in {report.seconds:.0f} s; "
                  "`persona diff SLUG` shows what changed in a persona.", soft_wrap=True)


@app.command()
@friendly
def diff(
    ctx: typer.Context,
    slug: Annotated[str, typer.Argument(help="The persona, e.g. frugal-fred (a name it had before works too).")],
    from_version: Annotated[
        int | None, typer.Option("--from", help="Version to compare from (default: the one before --to).")
    ] = None,
    to_version: Annotated[int | None, typer.Option("--to", help="Version to compare to (default: the latest).")] = None,
    personas: Annotated[Path, typer.Option(help="Folder of the personas.")] = Path("personas"),
) -> None:
    """Show what changed between two versions of a persona: claims, shares, value, themes."""
    from persona_agent.personas.diff import diff_versions

    store = _store(_settings(ctx))
    render_diff(diff_versions(personas, slug, from_version, to_version, store=store))


def render_diff(result: Any) -> None:
    from rich.markup import escape

    console = _console()

    def pct(value: float | None) -> str:
        return "–" if value is None else f"{value * 100:.1f} %"

    def ids(evidence: list[str]) -> str:
        return f" [dim]({escape(', '.join(evidence))})[/dim]" if evidence else ""

    name = result.name_after if result.name_before == result.name_after else \
        f"{result.name_before} → {result.name_after}"
    console.print(f"[bold]{escape(name)}[/bold] ({result.key}): version {result.from_version} "
                  f"({result.from_written}) → {result.to_version} ({result.to_written})"
                  + (f" — {escape(result.to_note)}" if result.to_note else ""), soft_wrap=True)
    if result.analysis_changed:
        console.print("The research was analysed again in between.")
    console.print(f"Share of respondents: {pct(result.share_before)} → {pct(result.share_after)} "
                  f"({result.respondents_before or '–'} → {result.respondents_after or '–'} people); "
                  f"share of revenue: {pct(result.revenue_before)} → {pct(result.revenue_after)}")
    for theme in result.themes_new:
        console.print(f"[green]+ theme[/green] {theme.theme_id} ({theme.share * 100:.0f} %): "
                      f"{escape(theme.label[:90])}", soft_wrap=True)
    for theme in result.themes_vanished:
        console.print(f"[red]- theme[/red] {theme.theme_id} ({theme.share * 100:.0f} %): "
                      f"{escape(theme.label[:90])}", soft_wrap=True)
    for drift in result.themes_drift:
        console.print(f"[yellow]~ theme[/yellow] {drift.theme_id}: {drift.share_before * 100:.0f} % → "
                      f"{drift.share_after * 100:.0f} % of the segment", soft_wrap=True)
    for change in result.claims:
        if change.change == "added":
            line = f"[green]+ {change.section}[/green]: {escape(change.after)}{ids(change.evidence_after)}"
        elif change.change == "removed":
            line = f"[red]- {change.section}[/red]: {escape(change.before)}{ids(change.evidence_before)}"
        else:
            line = (f"[yellow]~ {change.section}[/yellow]: {escape(change.before)} → {escape(change.after)}"
                    f"{ids(change.evidence_after)}")
        console.print(line, soft_wrap=True)
    for text in result.quotes_removed:
        console.print(f"[red]- quote[/red]: “{escape(text)}”", soft_wrap=True)
    for text in result.quotes_added:
        console.print(f"[green]+ quote[/green]: “{escape(text)}”", soft_wrap=True)
    if result.empty:
        console.print("No differences.")
    if result.evidence_text:
        console.print("[bold]Evidence cited by the changes[/bold]")
        for evidence_id, text in result.evidence_text.items():
            console.print(f"  [dim]{escape(evidence_id)}[/dim] {escape(' '.join(text.split())[:140])}", soft_wrap=True)


@app.command()
@friendly
def export(
    ctx: typer.Context,
    slugs: Annotated[list[str] | None, typer.Argument(help="Personas to export, e.g. frugal-fred.")] = None,
    all_personas: Annotated[bool, typer.Option("--all", help="Export every persona of the folder.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="html (a one-pager), pdf, md or json.")] = "html",
    personas_dir: Annotated[Path, typer.Option("--personas", help="Folder of the personas.")] = Path("personas"),
    out: Annotated[Path | None, typer.Option(help="Where the files go (default: $PERSONA_HOME/exports).")] = None,
) -> None:
    """Export personas to share: a self-contained HTML one-pager (or its PDF), Markdown or JSON."""
    from persona_agent.personas.export import export_personas, persona_slugs

    settings = _settings(ctx)
    chosen = persona_slugs(personas_dir) if all_personas else list(slugs or [])
    store = _store(settings) if fmt in ("html", "pdf") else None
    written = export_personas(personas_dir, chosen, fmt, out or settings.home / "exports", store=store,
                              analysis_dir=settings.analysis_dir, chromium=settings.chromium)
    console = _console()
    for item in written:
        console.print(f"wrote {item.path}", soft_wrap=True, markup=False)
