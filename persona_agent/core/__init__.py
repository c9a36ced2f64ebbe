"""core — what every layer shares: the `Evidence` model and its ids, typed errors, the one `Settings`
object, shipped resources, and the privacy policy (PII detection and redaction). Imports nothing else
from persona_agent.
"""
