"""workflows — the stages chained for commands that run several of them (prepare, generate, update,
open a chat, demo, doctor). The interfaces (cli, slack, web) call these; they import every stage.
"""
