"""``python -m experiments.dashboard [--port N]``, the same as ``consortium-dashboard``."""

from experiments.dashboard.server import main

main()
