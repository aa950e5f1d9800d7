"""Run chrono as ``python -m chrono``."""

from chrono.app.main import main

main()
