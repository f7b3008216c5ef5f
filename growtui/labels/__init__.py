"""Labels for tagged packages and plants: what goes on one (content), ZPL for thermal printers, transports."""
