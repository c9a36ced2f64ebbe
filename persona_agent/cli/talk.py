"""Talking to personas: ask, chat, slack."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from persona_agent.cli.app import _console, _settings, app, friendly
from persona_agent.cli.render import _grounding_line, _render_replies


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

    from persona_agent.workflows.run import open_chat

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
    from persona_agent.workflows.progress import RunProgress
    from persona_agent.workflows.run import open_chat

    console = _console()
    streaming = script is None and console.is_terminal
    run = RunProgress()
    status: list[Any] = []  # the spinner while a reply that is not streamed is being written

    def on_event(kind: str, **data: Any) -> None:
        run(kind, **data)
        if status:
            status[0].update(run.status())

    session = open_chat(_settings(ctx), personas,
                        on_token=(lambda token: console.print(token, end="", markup=False, highlight=False))
                        if streaming else None, on_event=on_event if console.is_terminal else None)
    lines = _script_lines(script) if script else _keyboard(session, console)
    console.print(f"[bold]{session.where()}[/bold] — @slug to ask, @all for a focus group, /help for commands")
    for line in lines:
        if script:
            console.print(f"[cyan]{session.where()}>[/cyan] {line}", soft_wrap=True)
        first = line.strip().split(" ")[0]
        streamed = streaming and first.startswith("@") and first != "@all"
        run.last_call = {}
        if streamed:
            console.print(f"[bold]{first.rstrip(':,')}[/bold]: ", end="")
            replies = session.handle(line)
        elif console.is_terminal and (first.startswith("@") or first in ("/draft", "/revise")):
            with console.status("thinking") as spinner:  # persona · stage · tokens · tokens/s while it writes
                status[:] = [spinner]
                replies = session.handle(line)
                status.clear()
        else:
            replies = session.handle(line)
        if _render_replies(replies, console):
            break
        if console.is_terminal and run.last_call:
            console.print(f"[dim]{run.call_line()}[/dim]")


def _script_lines(path: Path) -> Any:
    from persona_agent.core.errors import PersonaError

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


@app.command()
@friendly
def slack(
    ctx: typer.Context,
    personas: Annotated[Path, typer.Option(help="Folder with the persona JSON files.")] = Path("personas"),
    port: Annotated[int, typer.Option(help="HTTP mode: port for Slack's requests (/slack/events).")] = 3000,
    host: Annotated[
        str, typer.Option(help="HTTP mode: address to listen on (another than 127.0.0.1 is warned about).")
    ] = "127.0.0.1",
    per_minute: Annotated[int, typer.Option(min=1, help="Questions each Slack user may ask per minute.")] = 6,
) -> None:
    """Run the Slack bot: mention or DM it `fred: question`, or use /persona. Needs SLACK_BOT_TOKEN and
    SLACK_SIGNING_SECRET (HTTP mode) or SLACK_APP_TOKEN (Socket Mode)."""
    import os

    from persona_agent.slack.bot import SlackConfig, build_app, require_bolt, serve, sessions_over
    from persona_agent.slack.server import bind_warning
    from persona_agent.workflows.run import open_chat

    config = SlackConfig.from_env(os.environ)
    require_bolt()
    sessions = sessions_over(open_chat(_settings(ctx), personas))
    bot = build_app(sessions, bot_token=config.bot_token, signing_secret=config.signing_secret,
                    per_minute=per_minute)
    console = _console(stderr=True)
    warning = bind_warning(host) if config.mode == "http" else None
    if warning:
        console.print(warning, style="yellow", markup=False, soft_wrap=True)
    try:
        serve(bot, config, host=host, port=port, on_ready=lambda where: console.print(where, soft_wrap=True))
    except KeyboardInterrupt:
        console.print("stopped")


@app.command()
@friendly
def serve(
    ctx: typer.Context,
    host: Annotated[
        str, typer.Option(help="Address to listen on. Any other than 127.0.0.1 needs a token: PERSONA_WEB_TOKEN, "
                               "else one is generated and printed; pages then redact personal data.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).")] = 8765,
    personas: Annotated[
        Path | None, typer.Option(help="Folder with the persona JSON files (default: ./personas when it has some, "
                                       "else $PERSONA_HOME/personas, where `persona demo` writes them).")
    ] = None,
    research: Annotated[
        Path | None, typer.Option(help="Research folder the Jobs page ingests by default (when shared: the only "
                                       "one it may read).")
    ] = None,
) -> None:
    """The web workspace: personas, research and evidence, chat and objections, edits and jobs, in the browser."""
    import os

    from persona_agent.engine.serving import is_loopback
    from persona_agent.web.server import WebServer
    from persona_agent.web.workspace import Workspace
    from persona_agent.workflows.run import personas_folder

    settings = _settings(ctx)
    workspace = Workspace(settings=settings, personas_dir=personas_folder(settings, personas),
                          research_dir=research.resolve() if research else None)
    server = WebServer(workspace, host=host, port=port, token=os.environ.get("PERSONA_WEB_TOKEN") or None)
    console = _console(stderr=True)
    if not is_loopback(host):
        console.print(f"warning: listening on {host}, reachable from other machines: every request needs the "
                      "token below, and pages redact personal data. Prefer 127.0.0.1 behind a TLS proxy.",
                      style="yellow", markup=False, soft_wrap=True)
    typer.echo(f"Persona workspace at {server.login_url}  (personas: {workspace.personas_dir}; Ctrl-C stops it)")
    try:
        server.run()
    except KeyboardInterrupt:
        console.print("stopped")
