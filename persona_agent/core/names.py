"""Names a user types that become part of a file path: persona slugs, thread and channel names,
export names. Every path built from user input goes through one of these, so ``persona ask ../../x``
or ``/show ../x`` cannot name a file outside the folder it is meant for.
"""

from __future__ import annotations

import re

from persona_agent.core.errors import InvalidNameError

PERSONA_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SLUG = 64
MAX_FILE_STEM = 100
_UNSAFE = re.compile(r"[^\w.-]+")
SLUG_RULE = "a persona slug is lowercase letters and digits in words joined by single hyphens, e.g. frugal-fred"


def persona_slug(value: str) -> str:
    """``@Frugal-Fred`` → ``frugal-fred``; anything that is not a slug (``../x``, ``fred.json``) is refused."""
    slug = value.strip().lstrip("@").casefold()
    if len(slug) > MAX_SLUG or not PERSONA_SLUG.fullmatch(slug):
        raise InvalidNameError("persona", value, SLUG_RULE)
    return slug


def file_stem(value: str, what: str) -> str:
    """A thread, channel or export name as one file or folder name: runs of characters other than
    letters, digits, ``.``, ``-`` and ``_`` become ``_`` (``Q3 pricing`` → ``Q3_pricing``). Refused when
    that would be empty, longer than 100 characters, or start with a dot (hidden, ``.`` or ``..``)."""
    stem = _UNSAFE.sub("_", value.strip())
    if not stem or len(stem) > MAX_FILE_STEM or stem.startswith("."):
        raise InvalidNameError(what, value, f"a {what} must not start with a dot; at most {MAX_FILE_STEM} "
                                            "letters, digits, '.', '-' or '_' (others become '_')")
    return stem
