"""chrono: a chronology of events in a plain TOML file, queried from the terminal."""

__version__ = "0.1.0"
