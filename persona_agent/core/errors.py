"""Typed errors that carry the data a user needs to fix the problem.

The CLI turns every `PersonaError` into one red line (``message`` + ``hint``) and exit code 2;
anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from typing import Any


class PersonaError(Exception):
    """Base class: a problem the user can fix, with a one-line hint saying how."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class RequestError(PersonaError):
    """What the user asked for cannot be done as asked (an unknown persona, a name that is not
    allowed). Its message names no server path and quotes no exception, so a remote user (Slack) may
    be shown it; other errors reach a remote user only as "that failed, see the log"."""


class InvalidNameError(RequestError):
    """A name the user typed cannot be used to build a file path (see `persona_agent.core.names`)."""

    def __init__(self, what: str, value: str, rule: str) -> None:
        shown = value if len(value) <= 40 else value[:40] + "…"
        super().__init__(f"{what} {shown!r} is not allowed", rule)
        self.what = what
        self.value = value


class ConfigError(PersonaError):
    """A setting is missing or wrong; ``setting`` names it as the user would type it."""

    def __init__(self, setting: str, reason: str, hint: str | None = None) -> None:
        super().__init__(f"{setting}: {reason}", hint)
        self.setting = setting
        self.reason = reason


class BackendError(PersonaError):
    """A backend (LLM provider, embedder, Chroma) could not be reached or loaded."""

    def __init__(self, backend: str, reason: str, hint: str | None = None) -> None:
        super().__init__(f"{backend}: {reason}", hint)
        self.backend = backend
        self.reason = reason


class ModelFileError(BackendError):
    """The offline GGUF model is missing, partial or does not match its pinned hash."""


class EmbedderMismatchError(PersonaError):
    """A Chroma collection was built by another embedder than the one configured."""

    def __init__(self, collection: str, stored: str, configured: str) -> None:
        super().__init__(
            f"collection '{collection}' was built with embedder '{stored}', "
            f"but '{configured}' is configured",
            "set PERSONA_EMBEDDINGS back to match, or re-ingest into a fresh PERSONA_HOME",
        )
        self.collection = collection
        self.stored = stored
        self.configured = configured


class SourceError(PersonaError):
    """One research file could not be read; names the file (and row/line when known)."""

    def __init__(
        self, path: str, reason: str, hint: str | None = None, row: int | None = None
    ) -> None:
        where = f"{path}:{row}" if row is not None else path
        super().__init__(f"{where}: {reason}", hint)
        self.path = path
        self.row = row
        self.reason = reason


class AnalysisError(PersonaError):
    """The numbers cannot support the analysis asked for (e.g. no usable transactions)."""


class StructuredOutputError(PersonaError):
    """The model did not produce valid structured output within the allowed attempts."""

    def __init__(
        self,
        model_name: str,
        target: str,
        attempts: int,
        last_output: str,
        validation_errors: list[str],
    ) -> None:
        detail = validation_errors[-1] if validation_errors else "no output"
        super().__init__(
            f"{model_name}: no valid {target} after {attempts} attempts "
            f"(last error: {detail[:300]})",
            "try a larger model (PERSONA_MODEL) or fewer evidence items",
        )
        self.target = target
        self.attempts = attempts
        self.last_output = last_output
        self.validation_errors = validation_errors

    def details(self) -> dict[str, Any]:
        return {
            "attempts": self.attempts,
            "last_output": self.last_output,
            "validation_errors": self.validation_errors,
        }


# ---------------------------------------------------------------------------------------------
# Provider faults: each fails one persona, one chat turn or one file — never the run
# ---------------------------------------------------------------------------------------------
class ProviderError(BackendError):
    """An LLM or embeddings provider call failed for good. ``status`` is the HTTP status when there
    was one; ``attempts`` and ``waited`` (seconds spent backing off) say how hard we tried."""

    def __init__(self, backend: str, reason: str, hint: str | None = None, *, status: int | None = None,
                 attempts: int = 1, waited: float = 0.0) -> None:
        super().__init__(backend, reason, hint)
        self.status = status
        self.attempts = attempts
        self.waited = waited


class ProviderUnavailableError(ProviderError):
    """Transient errors (timeouts, 429, 5xx) outlasted the retry policy (attempts or time budget)."""


class ProviderRequestError(ProviderError):
    """The provider refused the request itself (4xx other than 429): retrying the same request is futile."""


class ContextLengthError(ProviderRequestError):
    """The prompt (plus the reply it asks for) does not fit the model's context window."""


class EmptyReplyError(ProviderError):
    """The model answered with nothing at all."""


class TruncatedReplyError(StructuredOutputError):
    """Every reply was cut off at the token limit (``finish_reason == "length"``), so none was complete."""

    def __init__(self, model_name: str, target: str, attempts: int, last_output: str,
                 validation_errors: list[str]) -> None:
        super().__init__(model_name, target, attempts, last_output, validation_errors)
        self.hint = "raise PERSONA_MAX_TOKENS (and PERSONA_N_CTX for the local model), or cite less evidence"


class BusyError(PersonaError):
    """Another persona process holds the lock we need (e.g. an ingest is writing to the store)."""

    def __init__(self, path: str, operation: str, waited: float) -> None:
        super().__init__(
            f"{path} is busy: another persona command is writing to it ({operation} waited {waited:.0f} s)",
            "try again when it has finished, or raise PERSONA_LOCK_TIMEOUT",
        )
        self.path = path
        self.operation = operation
        self.waited = waited


class QuestionTooLongError(RequestError):
    """A chat question longer than the configured limit (it would crowd out everything else)."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"the question is {length:,} characters long; the limit is {limit:,}",
                         "ask a shorter question (or raise PERSONA_MAX_QUESTION_CHARS)")
        self.length = length
        self.limit = limit
