"""Run chrono as ``python -m chrono``."""

from chrono.entry import main

main()
