"""The whole product and its setup: demo, doctor, models."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from persona_agent.cli.app import ROUNDS_HELP, _console, _settings, app, friendly
from persona_agent.cli.render import _progress


@app.command()
@friendly
def doctor(ctx: typer.Context) -> None:
    """Show the effective settings and check each backend for real (LLM, embedder, Chroma)."""
    from rich.table import Table

    from persona_agent.workflows.doctor import run_checks

    settings = _settings(ctx)
    console = _console()
    table = Table("setting", "value", title="Effective settings")
    for name, value in settings.public_view().items():
        table.add_row(name, value)
    console.print(table)
    checks = run_checks(settings)
    for check in checks:
        mark = "[green]ok[/green]  " if check.ok else "[red]FAIL[/red]"
        line = f"{mark} {check.name}: {check.detail}"
        if not check.ok:
            line += f"\n      fix: {check.fix}"
        console.print(line, soft_wrap=True)
    if not all(check.ok for check in checks):
        raise typer.Exit(2)


@app.command()
@friendly
def models(
    ctx: typer.Context,
    assemble: Annotated[
        str | None, typer.Option(help="Assemble and verify this local model now; print its path.")
    ] = None,
) -> None:
    """List the embedded offline models and whether their GGUF is assembled and verified."""
    from persona_agent.engine.models import LOCAL_MODELS, ensure_model_file

    settings = _settings(ctx)
    if assemble:
        typer.echo(ensure_model_file(assemble, settings.models_dir))
        return
    for model in LOCAL_MODELS.values():
        path = settings.models_dir / model.filename
        state = "assembled" if path.is_file() else "not assembled yet (done on first use)"
        typer.echo(f"{model.name:22} {model.size / 1e9:.2f} GB  {state}  {path}")


@app.command()
@friendly
def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Option(help="Research folder (default: the bundled sample).")
    ] = None,
    count: Annotated[int, typer.Option(help="How many personas to generate.")] = 2,
    max_rounds: Annotated[int | None, typer.Option(help=ROUNDS_HELP)] = None,
) -> None:
    """Run the whole product on the bundled sample, offline: ingest, analyse, generate, ask a persona."""
    from persona_agent.workflows.demo import run_demo

    settings = _settings(ctx)
    console = _console()
    started = time.perf_counter()
    with _progress() as (_, on_event):
        result = run_demo(settings, folder=folder, count=count, max_rounds=max_rounds, on_event=on_event,
                          say=lambda text: console.print(text, soft_wrap=True))
    console.print(f"\n[bold]Done in {time.perf_counter() - started:.0f} s.[/bold]")
    for label, path in result.outputs.items():
        console.print(f"  {label}: {path}", soft_wrap=True)
    if result.asked is None:
        raise typer.Exit(1)
