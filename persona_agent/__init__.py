"""persona-agent: evidence-backed buyer personas from customer research."""

__version__ = "0.1.0"
