"""web — the browser workspace (`persona serve`): Starlette routes, Jinja templates and a little script
over the same library calls as the CLI (no logic of its own). Imports workflows and the stages below;
only the CLI imports it, and only inside the command.
"""
