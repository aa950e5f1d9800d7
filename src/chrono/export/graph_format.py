"""GraphML of who appears with whom: ``chrono actors --pairs`` as a network for graph tools.

Each actor of the selected events is a node (its name, role, event count, first and last
date); each pair that shares events is an undirected edge whose ``weight`` is how many, with
the first and last of them. GraphML (graphml.graphdrawing.org) is what Gephi, Cytoscape,
yEd and networkx read. Written as plain XML here: the format is a dozen elements, and the
escaping (XML 1.0 has no place for control characters) is ours to hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from chrono.core.model import Event
from chrono.core.query import actor_summaries, pair_events
from chrono.export import Context
from chrono.output.safe_text import xml_text

DESCRIPTION = "GraphML of actors and who appears with whom"

KEYS: Final = (
    # id, for, name, type
    ("label", "node", "label", "string"),
    ("key", "node", "key", "string"),
    ("role", "node", "role", "string"),
    ("registered", "node", "registered", "boolean"),
    ("events", "node", "events", "int"),
    ("first", "node", "first", "string"),
    ("last", "node", "last", "string"),
    ("weight", "edge", "weight", "int"),
    ("e_first", "edge", "first", "string"),
    ("e_last", "edge", "last", "string"),
    ("title", "graph", "title", "string"),
    ("generated", "graph", "generated", "string"),
)


def first_and_last(events: Sequence[Event]) -> tuple[str, str]:
    """The ISO form of the earliest date and of the latest end among ``events``."""
    first = min(events, key=lambda e: e.sort_key).date
    latest = max(events, key=lambda e: e.stop)
    return first.isoformat(), (latest.end or latest.date).isoformat()


def _data(key: str, value: str | int | bool, indent: int = 6) -> str:
    if isinstance(value, bool):
        shown = "true" if value else "false"
    elif isinstance(value, int):
        shown = str(value)
    else:
        shown = xml_text(value, multiline=True)
    return f'{" " * indent}<data key="{key}">{shown}</data>'


def render(context: Context) -> bytes:
    """The GraphML document of the selected events' actors (UTF-8, deterministic)."""
    chronology = context.chronology
    events = context.selection.events
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    lines += [
        f'  <key id="{ident}" for="{kind}" attr.name="{name}" attr.type="{kind_of}"/>'
        for ident, kind, name, kind_of in KEYS
    ]
    lines.append('  <graph id="chrono" edgedefault="undirected">')
    lines.append(_data("title", context.title, indent=4))
    if context.generated:
        lines.append(_data("generated", context.generated, indent=4))
    node: dict[str, str] = {}  # actor key -> node id
    for summary in actor_summaries(chronology, events=events):
        if not summary.events:
            continue
        node[summary.key] = f"n{len(node)}"
        first, last = first_and_last(summary.events)
        lines.append(f'    <node id="{node[summary.key]}">')
        lines.append(_data("label", summary.name))
        lines.append(_data("key", summary.key))
        if summary.role:
            lines.append(_data("role", summary.role))
        lines.append(_data("registered", summary.registered))
        lines.append(_data("events", len(summary.events)))
        lines.append(_data("first", first))
        lines.append(_data("last", last))
        lines.append("    </node>")
    for a, b, shared in pair_events(chronology, events):
        first, last = first_and_last(shared)
        lines.append(f'    <edge source="{node[a]}" target="{node[b]}">')
        lines.append(_data("weight", len(shared)))
        lines.append(_data("e_first", first))
        lines.append(_data("e_last", last))
        lines.append("    </edge>")
    lines += ["  </graph>", "</graphml>", ""]
    return "\n".join(lines).encode("utf-8")
