"""``consortium-dashboard``: a local web page to move a package's levers and watch the
consortium respond, beside its no-policy twin (issue 6).

``server`` is the command, ``app`` the page (Solara), ``runs`` the only code that
touches ``sim.ConsortiumModel``, ``charts`` the figures, ``levers`` the exposed package
fields, ``labels`` every string in English and Chinese.
"""

from experiments.dashboard.server import main

__all__ = ["main"]
