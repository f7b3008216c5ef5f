"""The floor writes of §9.1-9.4 and outgoing transfer templates (§9.5), one module per resource.

Each handler validates one row against the facility (``rows`` has the shared readers) and returns
the function that applies it; ``http.Routes.write`` runs the functions only when every row passed.
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from growtui.sandbox.metrc.writes import batches, harvests, packages, plants, transfers

routes: list[BaseRoute] = [*plants.routes, *batches.routes, *harvests.routes, *packages.routes, *transfers.routes]
