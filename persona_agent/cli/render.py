"""Rendering shared by the commands: progress from the stages' events, result tables, chat replies."""

from __future__ import annotations

from typing import Any

from persona_agent.cli.app import _console


def _progress() -> Any:
    """Progress from the library's events (`core.events`). On a terminal: bars for counted tasks and a
    live status line — persona · stage · tokens and tokens/s of the call in progress · ETA of the run;
    elsewhere (CI logs, pipes) plain lines, one per step, stage and model call."""
    import contextlib

    from persona_agent.workflows.progress import RunProgress

    @contextlib.contextmanager
    def manager() -> Any:
        console = _console(stderr=True)
        run = RunProgress()
        if not console.is_terminal:

            def on_plain_event(event: str, **data: Any) -> None:
                run(event, **data)
                line = _plain_line(event, data, run)
                if line:
                    console.print(line, soft_wrap=True, markup=False, highlight=False)

            yield None, on_plain_event
            return
        from rich.console import Group
        from rich.live import Live
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
        from rich.text import Text

        class Status:
            """The model's line, rendered at every refresh so the ETA counts down between events."""

            def __rich__(self) -> Text:
                return Text(run.status() if run.persona else "", overflow="ellipsis", no_wrap=True, style="cyan")

        progress = Progress(TextColumn("{task.description}"), BarColumn(bar_width=24), MofNCompleteColumn(),
                            TimeElapsedColumn(), console=console)
        with Live(Group(progress, Status()), console=console, transient=True, refresh_per_second=8):
            tasks: dict[str, Any] = {}

            def on_event(event: str, **data: Any) -> None:
                run(event, **data)
                if event == "start":
                    tasks[data["name"]] = progress.add_task(data["name"], total=data["total"])
                elif event == "advance" and data.get("by", 1):
                    progress.update(tasks[data["name"]], advance=data.get("by", 1),
                                    description=f"{data['name']}: {data.get('item', '')}"[:48])
                elif event == "warning":
                    console.print(f"[yellow]warning:[/yellow] {data['message']}", soft_wrap=True)

            yield progress, on_event

    return manager()


def _plain_line(event: str, data: dict[str, Any], run: Any) -> str | None:
    """A progress event as one line of plain text (no terminal), or None for those not worth a line."""
    from persona_agent.workflows.progress import duration

    eta = run.eta()
    left = f" · ETA {duration(eta)}" if eta is not None else ""
    if event == "warning":
        return f"warning: {data['message']}"
    if event == "step":
        return f"== {data['name']}"
    if event == "stage":
        return f"{data['persona']}: {data['stage']}"
    if event == "call":
        seconds = float(data.get("prompt_seconds", 0)) + float(data.get("generate_seconds", 0))
        rate = data["output_tokens"] / data["generate_seconds"] if data.get("generate_seconds") else 0.0
        return (f"  {data['input_tokens']} prompt tokens ({data['cached_tokens']} reused), "
                f"{data['output_tokens']} generated in {seconds:.1f} s ({rate:.1f} tokens/s){left}")
    if event == "advance" and data.get("name") == "personas" and data.get("item") != "resumed":
        return f"personas: {data.get('item')} done{left}"
    return None


def _render_ingest(report: Any) -> None:
    """The counts as rows (a label and a number), so the table fits an 80-column terminal whatever the kinds."""
    from rich.table import Table

    console = _console()
    console.print(f"[bold]Ingest[/bold]: {report.files_seen} files in {report.seconds:.1f} s", soft_wrap=True)
    table = Table("", "", show_header=False)
    table.add_row("chunks stored", str(report.chunks_embedded))
    for kind, count in sorted(report.chunks_by_kind.items()):
        table.add_row(f"  {kind}", str(count))
    table.add_row("texts embedded", str(report.texts_embedded))
    table.add_row("  carry nothing (one shared vector)", str(report.chunks_shared_vector))
    for label, count in (("files unchanged", report.files_unchanged), ("files replaced", report.files_replaced),
                         ("files removed", report.files_removed), ("files failed", len(report.files_failed))):
        table.add_row(label, str(count))
    console.print(table)
    for line in report.files_failed:
        console.print(f"[red]failed:[/red] {line}", soft_wrap=True)
    for line in report.duplicates + report.files_skipped:
        console.print(f"[yellow]skipped:[/yellow] {line}", soft_wrap=True)
    if report.chunks_embedded == 0 and report.chunks_deleted == 0 and not report.files_failed:
        console.print("Nothing changed: 0 chunks embedded.")


def _render_generate(report: Any) -> None:
    """One row per persona. Its slug and segment (what a user copies into the next command) are never cut:
    the name goes on a line of its own and the other columns wrap first."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    console.print(f"[bold]Personas[/bold] in {report.out_dir} (planned by {report.planned_by})", soft_wrap=True)
    table = Table(box=box.SIMPLE_HEAD)
    rows = []
    for outcome in report.outcomes:
        if outcome.persona is None:
            rows.append((f"[red]failed[/red] {escape(outcome.target.key)}", "", "", "", escape(outcome.error or ""),
                         "", ""))
            continue
        p, prov = outcome.persona, outcome.persona.provenance
        share = f"{p.segment.share_of_respondents * 100:.0f} %" if p.segment.share_of_respondents is not None else "-"
        tokens = (f"{prov.input_tokens:,} in\n{prov.cached_tokens:,} reused\n{prov.output_tokens:,} out"
                  if prov else "")
        rows.append((f"{escape(p.name)}\n@{p.id}" + (" [dim]resumed[/dim]" if outcome.resumed else ""),
                     escape(p.segment.segment_id or outcome.target.key), share, f"{outcome.cited_share * 100:.0f} %",
                     f"{len(prov.open_issues) if prov else 0} / {prov.critique_rounds if prov else 0}",
                     str(prov.llm_calls if prov else 0), tokens))
    slug_width = max((len(o.persona.id) + 1 for o in report.outcomes if o.persona), default=8)
    segment_width = max((len(o.persona.segment.segment_id or o.target.key) for o in report.outcomes if o.persona),
                        default=7)
    table.add_column("persona", min_width=slug_width, overflow="fold")
    table.add_column("segment", min_width=segment_width, no_wrap=True)
    table.add_column("share")
    table.add_column("claims cited")
    table.add_column("issues / rounds")
    table.add_column("calls")
    table.add_column("tokens", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    console.print(table)
    console.print(f"{report.calls} LLM calls in {report.seconds:.0f} s")


def _grounding_line(answer: Any) -> str:
    from rich.markup import escape

    if answer.grounding == "cited":
        return f"[dim]evidence: {', '.join(answer.evidence)}[/dim]"
    return f"[yellow](extrapolated: {escape(answer.footing)})[/yellow]"


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


def render_audit(audits: list[Any]) -> None:
    """Per persona: a table of its claims (support, confidence, people, figures, problems) and its summary."""
    from rich.markup import escape
    from rich.table import Table

    console = _console()
    for audit in audits:
        table = Table("claim", "evidence", "support", "conf.", "people", "figures", "problems",
                      title=f"{escape(audit.name)} (@{audit.slug}, {audit.segment or 'no segment'})", expand=True)
        for claim in audit.claims:
            support = f"{claim.support_score:.2f}" if claim.support_score is not None else "–"
            support += " (judged by its objection)" if claim.by_objection else ""
            problems = "; ".join(claim.problems + [f"gone: {i}" for i in claim.missing_evidence]
                                 + [f"changed since generation: {i}" for i in claim.changed_evidence])
            table.add_row(escape(f"{claim.path}: {claim.text}"), escape(", ".join(claim.evidence)), support,
                          claim.confidence or "–", str(claim.respondents or "–"),
                          "ok" if claim.numbers_verified else "[red]no[/red]", escape(problems))
        console.print(table)
        for quote in audit.quotes:
            mark = "ok" if quote.verbatim and quote.customer_authored else "[red]not verbatim[/red]"
            console.print(f"  quote {mark}: “{escape(quote.text[:90])}” — {escape(quote.evidence_id)}", soft_wrap=True)
        for problem in audit.persona_problems:
            console.print(f"  [yellow]persona:[/yellow] {escape(problem)}", soft_wrap=True)
        console.print(f"[bold]{escape(audit.name)}[/bold]: {escape(audit.summary)}", soft_wrap=True)
