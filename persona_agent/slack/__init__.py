"""slack — the Slack bot: the Bolt app over the chat session, and its HTTP server. An interface, like
cli: imports workflows, talk and below; nothing imports it but cli.
"""
