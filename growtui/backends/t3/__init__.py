"""The T3 ("Track & Trace Tools") backend: ``T3Backend`` speaks https://api.trackandtrace.tools."""

from growtui.backends.t3.backend import T3Backend
from growtui.backends.t3.client import DEFAULT_BASE_URL

__all__ = ["DEFAULT_BASE_URL", "T3Backend"]
