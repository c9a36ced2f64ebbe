"""Kept for callers of the old module: detection lives in `pii`, the policy in `privacy`."""

from persona_agent.core.pii import ADDRESS, EMAIL, IBAN, NAME, NATIONAL_ID, PHONE, Finding, find_pii, redact

__all__ = ["ADDRESS", "EMAIL", "IBAN", "NAME", "NATIONAL_ID", "PHONE", "Finding", "find_pii", "redact"]
