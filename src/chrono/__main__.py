"""Run chrono as ``python -m chrono``."""

from chrono.app.entry import main

main()
