"""`structured()`: the one way every stage gets a validated pydantic object out of a chat model.

Grammar-constrained JSON for the local model, a forced tool call for OpenAI-compatible servers,
plain JSON text otherwise (our fake model in tests) — then pydantic validation and bounded repair
retries that feed the validation error back to the model.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from pydantic import BaseModel, ValidationError

from persona_agent.core.errors import StructuredOutputError, TruncatedReplyError
from persona_agent.engine import retry
from persona_agent.engine.cache import SQLiteLLMCache, reply_cache, request_key
from persona_agent.engine.llm import LlamaCppChat, UsageTracker
from persona_agent.engine.prompts import load_prompt
from persona_agent.engine.retry import policy_of

log = logging.getLogger(__name__)
T = TypeVar("T", bound=BaseModel)

# --------------------------------------------------------------------------------------------
# Structured output
# --------------------------------------------------------------------------------------------
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def extract_json(text: str) -> Any:
    """Parse the JSON object in a reply, tolerating code fences and chatter around it."""
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    for candidate in candidates:
        candidate = candidate.strip()
        start = candidate.find("{")
        end = candidate.rfind("}")
        if start == -1 or end <= start:
            continue
        try:
            return json.loads(candidate[start : end + 1])
        except json.JSONDecodeError:
            continue
    raise ValueError("the reply contains no parseable JSON object")


def structured_mode(llm: BaseChatModel) -> str:
    """``grammar`` (local llama.cpp), ``tools`` (OpenAI-compatible) or ``json`` (anything else)."""
    if isinstance(llm, LlamaCppChat):
        return "grammar"
    if any(cls.__name__ == "ChatOpenAI" for cls in type(llm).__mro__):  # also our redacting subclass
        return "tools"
    return "json"


def _bind_for(llm: BaseChatModel, mode: str, name: str, json_schema: dict, **extra: Any) -> Any:
    if mode == "grammar":
        return llm.bind(response_format={"type": "json_object", "schema": json_schema}, **extra)
    if mode == "tools":
        # llama.cpp's server answers HTTP 500 to response_format=json_schema (langchain-openai's
        # default); a forced function call works there and on OpenAI, vLLM and Ollama alike.
        tool = {"type": "function", "function": {"name": name, "parameters": json_schema}}
        choice: Any = {"type": "function", "function": {"name": name}}  # ChatOpenAI takes a dict here
        return llm.bind_tools([tool], tool_choice=choice, **extra)
    return llm.bind(**extra) if extra else llm


def _reply_payload(reply: BaseMessage) -> tuple[Any, str]:
    """(parsed JSON, raw text) from a reply: tool-call arguments first, else the text."""
    tool_calls = getattr(reply, "tool_calls", None) or []
    if tool_calls:
        args = tool_calls[0]["args"]
        return args, json.dumps(args, ensure_ascii=False)
    raw = reply.text
    return extract_json(raw), raw


def structured(
    llm: BaseChatModel,
    schema: type[T],
    messages: Sequence[BaseMessage],
    *,
    max_attempts: int = 3,
    json_schema: dict | None = None,
    context: dict[str, Any] | None = None,
    config: RunnableConfig | None = None,
    transient_retries: int | None = None,
    guide: str | None = None,
    instructions_last: bool = False,
    max_tokens: int | None = None,
    partial: Callable[[str], T | None] | None = None,
) -> T:
    """Ask ``llm`` for one ``schema`` object; validate; repair up to ``max_attempts`` times.

    ``json_schema`` may be stricter than the pydantic model (e.g. cited ids as an enum) and is what
    the decoder is constrained to; ``context`` reaches pydantic validators (grounding checks).
    Provider errors go through the model's retry policy (`engine.retry`; ``transient_retries``
    overrides its retry count). A reply cut off at the token limit is never accepted. Only a reply
    that validated is written to the model's reply cache (`engine.cache`), under the original request.
    ``guide`` replaces the generated field template when decoding is grammar-constrained.
    ``instructions_last`` puts the format instructions after the messages instead of after the system
    prompt, so calls that share a long prefix (a persona's brief) keep it identical token for token
    and a local model can reuse its KV cache. ``max_tokens`` caps the reply (short sections need
    few tokens, and a small model that rambles is stopped early instead of at the model's limit).
    ``partial`` turns a complete reply that failed validation into what is valid of it (or None): that
    part is accepted at once, instead of paying for a whole new reply to regain one bad item.
    """
    decode_schema = json_schema or schema.model_json_schema()
    mode = structured_mode(llm)
    name = schema.__name__
    conversation = list(messages)
    if mode != "tools":
        # Under a grammar the structure is enforced, so the model only needs a compact field guide
        # (a full schema with evidence-id enums costs thousands of prompt tokens on a CPU).
        if mode == "grammar":
            shape = guide or schema_skeleton(decode_schema)
        else:
            shape = json.dumps(decode_schema, ensure_ascii=False)
        instructions = load_prompt("structured.instructions").render(schema=shape, mode=mode)
        if instructions_last:
            conversation.append(HumanMessage(content=instructions))
        else:
            conversation.insert(_after_system(conversation), SystemMessage(content=instructions))
    extra = {"max_tokens": max_tokens} if max_tokens else {}
    bound = _bind_for(llm, mode, name, decode_schema, **extra)
    policy = policy_of(llm)
    if transient_retries is not None:
        policy = replace(policy, retries=transient_retries)
    cache = reply_cache(llm)
    key = ""
    if cache is not None:
        key = request_key(llm, conversation, {"mode": mode, "name": name, "schema": decode_schema, **extra})
        replayed = _replay(cache, key, schema, context, partial)
        if replayed is not None:
            _count_replay(config)
            return replayed
    errors: list[str] = []
    best_raw = ""
    truncated = 0
    for attempt in range(1, max_attempts + 1):
        request = list(conversation)
        reply = retry.call(lambda: bound.invoke(request, config=config), policy,  # noqa: B023 (called now)
                           backend=f"LLM {_model_label(llm)}")
        cut_off = (reply.response_metadata or {}).get("finish_reason") == "length"
        try:
            payload, raw = _reply_payload(reply)
        except ValueError as exc:
            raw, problem = reply.text, str(exc)
        else:
            try:
                result = schema.model_validate(payload, context=context)
            except ValidationError as exc:
                problem = _describe(exc)
                kept = partial(raw) if partial is not None and not cut_off else None
                if kept is not None:
                    log.info("structured %s: kept the valid part of a reply (%s)", name, problem)
                    if cache is not None:
                        cache.put_reply(key, reply)
                    return kept
            else:
                if not cut_off:
                    if cache is not None:
                        cache.put_reply(key, reply)
                    return result
                problem = "incomplete"
        if cut_off:
            truncated += 1
            problem = ("your reply was cut off at the token limit before it was complete: "
                       "write the whole object again, more briefly")
        errors.append(problem)
        repeated = bool(raw) and raw == best_raw  # the same reply after a repair request: asking again is wasted
        best_raw = raw or best_raw
        log.info("structured %s: attempt %d/%d failed: %s", name, attempt, max_attempts, problem)
        if repeated:
            raise StructuredOutputError(_model_label(llm), name, attempt, best_raw, errors)
        conversation += [
            AIMessage(content=raw[:4000]),
            HumanMessage(content=load_prompt("structured.repair").render(errors=problem, name=name)),
        ]
    error_class = TruncatedReplyError if truncated == max_attempts else StructuredOutputError
    raise error_class(_model_label(llm), name, max_attempts, best_raw, errors)


def _replay(cache: SQLiteLLMCache, key: str, schema: type[T], context: dict[str, Any] | None,
            partial: Callable[[str], T | None] | None = None) -> T | None:
    """A cached reply, validated again (the grounding context may have changed since it was stored)."""
    message = cache.get_reply(key)
    if message is None:
        return None
    try:
        payload, raw = _reply_payload(message)
    except ValueError:
        cache.forget(key)
        return None
    try:
        return schema.model_validate(payload, context=context)
    except ValidationError:
        kept = partial(raw) if partial is not None else None
        if kept is None:
            cache.forget(key)
        return kept


def _count_replay(config: RunnableConfig | None) -> None:
    handlers = (config or {}).get("callbacks") or []
    for handler in handlers if isinstance(handlers, list) else handlers.handlers:
        if isinstance(handler, UsageTracker):
            with handler._lock:
                handler.cached += 1


def schema_skeleton(schema: dict[str, Any]) -> str:
    """A compact JSON template of a schema: field names, types, descriptions, list limits."""
    defs = schema.get("$defs", {})

    def shape(node: dict[str, Any]) -> Any:
        if "$ref" in node:
            return shape(defs[node["$ref"].split("/")[-1]])
        if "anyOf" in node:
            options = [o for o in node["anyOf"] if o.get("type") != "null"]
            return shape(options[0]) if options else None
        if node.get("type") == "object" or "properties" in node:
            return {key: shape(value) for key, value in node.get("properties", {}).items()}
        if node.get("type") == "array":
            limit = f" (at most {node['maxItems']})" if "maxItems" in node else ""
            return [shape(node.get("items") or (node.get("prefixItems") or [{}])[0]), f"…{limit}"]
        if "const" in node:
            return node["const"]
        if "enum" in node:
            values = node["enum"]
            return " | ".join(map(str, values)) if len(values) <= 8 else "<evidence id>"
        hint = node.get("description") or {"string": "text"}.get(node.get("type", ""), node.get("type", "value"))
        return f"<{hint}>"

    return json.dumps(shape(schema), ensure_ascii=False, separators=(",", ":"))


def _after_system(messages: list[BaseMessage]) -> int:
    index = 0
    while index < len(messages) and isinstance(messages[index], SystemMessage):
        index += 1
    return index


def _describe(exc: ValidationError) -> str:
    lines = []
    for error in exc.errors()[:12]:
        path = ".".join(str(part) for part in error["loc"]) or "(root)"
        lines.append(f"- {path}: {error['msg']}")
    return "\n".join(lines)


def _model_label(llm: BaseChatModel) -> str:
    return str(getattr(llm, "model_name", None) or getattr(llm, "model", None) or type(llm).__name__)
