"""growtui: a keyboard-first terminal app for cannabis grow floors."""

__version__ = "0.1.0"
