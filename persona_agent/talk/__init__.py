"""talk — conversations with personas: grounded answers, objections, focus groups, and the
Slack-style session (threads, /commands). No interface code. Imports personas, analysis, engine, core.
"""
