"""The entry point of ``chrono`` scripts installed before it moved to ``app/main.py``."""

from chrono.app.main import main

__all__ = ["main"]
