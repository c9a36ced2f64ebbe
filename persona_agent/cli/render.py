"""Rendering shared by the commands: progress from the stages' events, result tables, chat replies."""

from __future__ import annotations

from typing import Any

from persona_agent.cli.app import _console


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


def _grounding_line(answer: Any) -> str:
    if answer.grounding == "cited":
        return f"[dim]evidence: {', '.join(answer.evidence)}[/dim]"
    return "[yellow](extrapolated: the research does not cover this)[/yellow]"


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
