"""Exceptions route code raises; the route wrapper turns them into T3-shaped responses."""

from __future__ import annotations

from starlette.responses import Response


class ApiError(Exception):
    """Answer with T3's error envelope: ``{"error": {type, message, timestamp, url, status_code}}``."""

    def __init__(self, status: int, type_: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.type = type_
        self.message = message


class FaultResponse(Exception):
    """An injected fault that replaces the normal response (e.g. a 504 HTML page after a write)."""

    def __init__(self, response: Response) -> None:
        super().__init__(f"injected fault {response.status_code}")
        self.response = response
