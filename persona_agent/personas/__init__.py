"""personas — the persona schema, planning from segments, generation (draft → critique → revise),
grounding checks, and the Markdown output. Imports analysis, research, engine and core.
"""
