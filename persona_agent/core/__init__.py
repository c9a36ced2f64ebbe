"""core — what every layer shares: the `Evidence` model and its ids, typed errors, the one `Settings`
object, shipped resources, the privacy policy (PII detection and redaction), and the check of names a
path is built from. Imports nothing else from persona_agent.
"""
