"""Persona commands: generate, schema, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from persona_agent.cli.app import ROUNDS_HELP, _settings, app, friendly
from persona_agent.cli.render import _progress, _render_generate


@app.command()
@friendly
def generate(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Argument(help="Research folder to ingest and analyse first (default: use the store as is).")
    ] = None,
    count: Annotated[
        int | None, typer.Option(help="How many personas (most valuable / largest segments first).")
    ] = None,
    segment: Annotated[str | None, typer.Option(help="Only this segment, e.g. S2.")] = None,
    out: Annotated[Path, typer.Option(help="Where persona JSON and Markdown files go.")] = Path("personas"),
    max_rounds: Annotated[int | None, typer.Option(help=ROUNDS_HELP)] = None,
    concurrency: Annotated[int, typer.Option(help="Personas generated at the same time.")] = 4,
    resume: Annotated[
        bool, typer.Option(help="Keep personas a previous run finished whose inputs (evidence, prompts, model) "
                                "are unchanged; generate the rest.")
    ] = False,
    reanalyze: Annotated[bool, typer.Option(help="Re-run the analysis even if one of this folder exists.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the model again instead of replaying cached replies.")
    ] = False,
    language: Annotated[str, typer.Option(help="Language the personas are written in: en, no, da, nl, sv, de, ru… "
                                               "or auto (the research's dominant language).")] = "en",
    critic: Annotated[bool | None, typer.Option(
        "--critic/--no-critic", help="Ask the LLM critic to review each persona (default: when there are revision "
                                     "rounds; the deterministic checks always run).")] = None,
    journey: Annotated[bool | None, typer.Option(
        "--journey/--no-journey", help="Ask the model for the buyer's journey (default: not on the embedded local "
                                       "model, whose journeys seldom pass the checks).")] = None,
) -> None:
    """Generate evidence-cited personas from each segment's whole research: sections → checks → revise."""
    from persona_agent.workflows.run import generate_from_folder

    settings = _settings(ctx)
    if no_cache:
        settings = settings.model_copy(update={"llm_cache": False})
    with _progress() as (_, on_event):
        report = generate_from_folder(settings, folder, out_dir=out, count=count, segment=segment,
                                      max_rounds=max_rounds, concurrency=concurrency, resume=resume,
                                      reanalyze=reanalyze, on_event=on_event, language=language, critic=critic,
                                      journey=journey)
    _render_generate(report)
    if not any(o.persona for o in report.outcomes):
        raise typer.Exit(1)


@app.command("schema")
@friendly
def schema_command() -> None:
    """Print the persona JSON Schema (versioned)."""
    from persona_agent.personas.schema_file import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
@friendly
def validate(
    files: Annotated[list[Path], typer.Argument(help="Persona JSON files to check against the schema.")],
) -> None:
    """Check persona files against the schema; print each violation with its JSON path."""
    from persona_agent.personas.schema_file import validate_file

    failed = 0
    for path in files:
        problems = validate_file(path)
        if problems:
            failed += 1
            for problem in problems:
                typer.echo(f"{path}: {problem}")
        else:
            typer.echo(f"{path}: valid")
    if failed:
        raise typer.Exit(1)


@app.command()
@friendly
def audit(
    ctx: typer.Context,
    files: Annotated[
        list[Path] | None, typer.Argument(help="Persona JSON files (default: every persona in --personas).")
    ] = None,
    personas: Annotated[Path, typer.Option(help="Folder with the persona JSON files.")] = Path("personas"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the audit as JSON.")] = False,
) -> None:
    """The grounding report to read before trusting a persona: per claim its evidence, support,
    confidence, figures checked; quotes verbatim; open issues; a summary line per persona."""
    import json

    from persona_agent.cli.render import render_audit
    from persona_agent.workflows.run import audit_personas

    settings = _settings(ctx)
    audits = audit_personas(settings, list(files or []), personas)
    if as_json:
        typer.echo(json.dumps([a.model_dump() for a in audits], indent=2, ensure_ascii=False))
        return
    render_audit(audits)
