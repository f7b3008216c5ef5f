"""Background work, one way: a worker never ends the app, and an upstream failure is handled in
one place.

``background`` / ``run_background`` start workers that report instead of exiting (Textual's
default would close the app, dropping a floor kiosk's SSH session). ``upstream`` awaits one call
to the data layer: ``ReauthRequired`` opens the sign-in prompt (and runs ``retry`` once signed in
again), any other error goes to ``failed`` (shown in place) or else to the status bar; either way
the caller gets ``FAILED`` (a ``Failed``) and stops.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, Final, TypeVar

from textual import work
from textual.dom import DOMNode
from textual.worker import Worker

from growtui.backends.base import ReauthRequired
from growtui.ui.messages import WorkFailed

if TYPE_CHECKING:
    from growtui.ui.app import GrowApp

T = TypeVar("T")


class Failed:
    """The result of an upstream call that failed (already reported)."""

    def __repr__(self) -> str:
        return "FAILED"


FAILED: Final = Failed()


def background(**options: Any) -> Any:
    """``@work`` for methods that talk to the data layer: errors are reported, never fatal."""
    return work(exit_on_error=False, **options)


def run_background(node: DOMNode, coro: Coroutine[Any, Any, Any], **options: Any) -> Worker[Any]:
    return node.run_worker(coro, exit_on_error=False, **options)


async def upstream(
    app: GrowApp,
    call: Awaitable[T],
    *,
    what: str = "",
    retry: Callable[[], None] | None = None,
    failed: Callable[[Exception], None] | None = None,
    signed_out: Callable[[], None] | None = None,
) -> T | Failed:
    """``await call``; on failure report it (see the module docstring) and return ``FAILED``.
    ``signed_out`` also runs (after the prompt opened) when the failure is an expired session."""
    try:
        return await call
    except ReauthRequired:
        app.request_reauth(retry=retry)
        if signed_out is not None:
            signed_out()
    except Exception as exc:  # noqa: BLE001 - reported where the user looks
        if failed is not None:
            failed(exc)
        else:
            app.post_message(WorkFailed(what or "Background work", exc))
    return FAILED
