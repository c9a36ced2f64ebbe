"""personas — the persona schema, planning from segments, generation (draft → critique → revise),
grounding checks, input fingerprints (what `--resume` compares), updates when the research changed,
versions and their diff, and the outputs: Markdown and the HTML one-pager. Imports analysis,
research, engine and core.
"""
