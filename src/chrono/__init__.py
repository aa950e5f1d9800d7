"""chrono: a chronology of events in a plain TOML file, queried from the terminal."""

__version__ = "0.1.0"

# True in the chrono command: a short-lived process, whose model lives until it exits.
short_lived = False
