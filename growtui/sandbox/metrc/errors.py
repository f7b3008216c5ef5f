"""Exceptions route code raises; the route wrapper turns them into Metrc-shaped answers."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response


class MetrcError(Exception):
    """Answer ``status`` with ``{"Message": message}`` (400 non-row, 401, 403, 404, 413, 500)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class RowError(Exception):
    """One write row is invalid; collected into the 400 ``[{"row": i, "message": …}]`` body."""


class RowErrors(Exception):
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(rows)} invalid rows")
        self.rows = rows


class FaultResponse(Exception):
    """An injected fault that replaces the answer (a 504 page after a write that did apply)."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"injected fault {response.status_code}")
        self.response = response
