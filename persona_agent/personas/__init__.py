"""personas — the persona schema, planning from segments, generation (draft → critique → revise),
grounding checks, input fingerprints (what `--resume` compares), and the Markdown output. Imports
analysis, research, engine and core.
"""
