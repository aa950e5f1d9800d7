"""``chrono export graph``: who appears with whom as GraphML, read back by networkx."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import networkx as nx

from tests.conftest import BUNDLED, Run

XSS = Path(__file__).parent / "data" / "xss.toml"
HOSTILE = Path(__file__).parent / "data" / "hostile.toml"

LOG = """\
[chrono]
timezone = "UTC"

[actors.putin]
name = "Vladimir Putin"
role = "President of Russia"

[actors.witkoff]
name = "Steve Witkoff"

[actors.idle]
name = "Nobody Here"

[[events]]
id = "first"
date = "2025-02-11"
title = "First meeting"
actors = ["putin", "witkoff"]

[[events]]
id = "second"
date = "2025-08~"
end = "2025-09-02"
title = "Second, with a stranger"
actors = ["witkoff", "putin", "A Stranger"]

[[events]]
id = "alone"
date = "2026"
title = "Putin alone"
actors = ["putin"]
"""


def graph(run: Run, log: Path, *args: str) -> nx.Graph:
    """The graph `chrono export graph` writes for ``log``, as networkx reads it."""
    result = run("export", "graph", "-f", str(log), *args)
    assert result.exit_code == 0, result.output
    read: nx.Graph = nx.read_graphml(io.BytesIO(result.stdout_bytes))
    return read


def graph_title(document: bytes) -> str:
    """The graph's title, as networkx reads the graph's data."""
    title: str = nx.read_graphml(io.BytesIO(document)).graph["title"]
    return title


def by_key(read: nx.Graph) -> dict[str, dict[str, Any]]:
    """The nodes' attributes by actor key."""
    return {data["key"]: data for _, data in read.nodes(data=True)}


def edge(read: nx.Graph, a: str, b: str) -> dict[str, Any]:
    """The attributes of the edge between actor keys ``a`` and ``b``."""
    ids = {data["key"]: node for node, data in read.nodes(data=True)}
    found: dict[str, Any] = read.edges[ids[a], ids[b]]
    return found


def test_nodes_are_the_actors_of_the_selected_events(run: Run, write_log: Any) -> None:
    """Each actor with events is a node with its name, role, count, first and last date."""
    read = graph(run, write_log(LOG))
    assert not read.is_directed()
    nodes = by_key(read)
    assert set(nodes) == {"putin", "witkoff", "A Stranger"}  # no node for an idle actor
    assert nodes["putin"] == {
        "label": "Vladimir Putin",
        "key": "putin",
        "role": "President of Russia",
        "registered": True,
        "events": 3,
        "first": "2025-02-11",
        "last": "2026",
    }
    assert nodes["A Stranger"]["registered"] is False
    assert nodes["witkoff"]["last"] == "2025-09-02"


def test_edges_weigh_shared_events_with_first_and_last(run: Run, write_log: Any) -> None:
    """An edge's weight is how many events the pair shares; first and last are theirs."""
    read = graph(run, write_log(LOG))
    assert read.number_of_edges() == 3
    assert edge(read, "putin", "witkoff") == {
        "weight": 2,
        "first": "2025-02-11",
        "last": "2025-09-02",
    }
    assert edge(read, "A Stranger", "putin") == {
        "weight": 1,
        "first": "2025-08~",
        "last": "2025-09-02",
    }


def test_weights_match_actors_pairs_on_the_bundled_log(run: Run) -> None:
    """The graph is `chrono actors --pairs` as a network: the same pairs, the same counts."""
    read = graph(run, BUNDLED)
    pairs = json.loads(run("actors", "--pairs", "--format", "json", "-f", str(BUNDLED)).stdout)
    expected = {frozenset(a["key"] for a in pair["actors"]): pair["events"] for pair in pairs}
    keys = {node: data["key"] for node, data in read.nodes(data=True)}
    found = {frozenset((keys[a], keys[b])): data["weight"] for a, b, data in read.edges(data=True)}
    assert found == expected
    assert read.degree(weight="weight")  # a weighted graph networkx can measure


def test_filters_narrow_the_graph(run: Run, write_log: Any) -> None:
    """Only the events the filters select are counted (--lanes none, the default, is taken)."""
    read = graph(run, write_log(LOG), "--from", "2025-06", "--lanes", "none")
    assert edge(read, "putin", "witkoff")["weight"] == 1
    assert by_key(read)["putin"]["events"] == 2
    titled = run("export", "graph", "-f", str(write_log(LOG)), "--title", "Who & whom")
    assert graph_title(titled.stdout_bytes) == "Who & whom"


def test_hostile_names_are_data(run: Run) -> None:
    """Markup and control characters in names arrive as text in a well-formed document."""
    read = graph(run, XSS)
    labels = {data["label"] for _, data in read.nodes(data=True)}
    assert "Mallory <script>alert('actor')</script>" in labels
    assert '"><img src=x onerror="window.__xss=2">' in labels
    hostile = graph(run, HOSTILE)
    assert all("\x1b" not in d["label"] for _, d in hostile.nodes(data=True))


def test_empty_selection_is_an_empty_graph(run: Run, write_log: Any) -> None:
    """No events selected: a valid graph without nodes."""
    result = run("export", "graph", "-f", str(write_log(LOG)), "--on", "1990")
    assert result.exit_code == 0
    assert result.stderr == "chrono: no events match\n"
    assert nx.read_graphml(io.BytesIO(result.stdout_bytes)).number_of_nodes() == 0


def test_igraph_reads_a_weighted_undirected_graph(run: Run, tmp_path: Path) -> None:
    """igraph's C reader (libxml2, as graph programs use) sees the same weighted graph."""
    import igraph

    target = tmp_path / "actors.graphml"
    assert run("export", "graph", "-f", str(BUNDLED), "-o", str(target)).exit_code == 0
    read = igraph.Graph.Read_GraphML(str(target))
    assert not read.is_directed() and read.is_weighted()
    assert (read.vcount(), read.ecount()) == (10, 29)
    strongest = max(read.es, key=lambda e: e["weight"])
    names = {read.vs[strongest.source]["label"], read.vs[strongest.target]["label"]}
    assert (names, strongest["weight"]) == ({"Steve Witkoff", "Vladimir Putin"}, 8.0)


def test_characters_xml_cannot_hold_are_made_visible(run: Run, write_log: Any) -> None:
    """U+FFFF, U+FFFE and controls in a name are visible escapes; the graph still reads."""
    log = write_log(
        '[actors.odd]\nname = "Odd\\uFFFF\\uFFFE\\u0007 Name"\n\n'
        '[[events]]\nid = "e"\ndate = "2026-01-01"\ntitle = "T"\nactors = ["odd", "Other"]\n'
    )
    nodes = by_key(graph(run, log))
    assert nodes["odd"]["label"] == "Odd\\uffff\\ufffe\\x07 Name"


def test_generated_line_is_graph_data(run: Run, write_log: Any) -> None:
    """--generated is the graph's `generated` attribute; without it there is none."""
    log = write_log(LOG)
    plain = run("export", "graph", "-f", str(log)).stdout_bytes
    assert "generated" not in nx.read_graphml(io.BytesIO(plain)).graph
    stamped = run("export", "graph", "-f", str(log), "--generated").stdout_bytes
    line = nx.read_graphml(io.BytesIO(stamped)).graph["generated"]
    assert line.startswith("Generated by chrono ") and line.endswith(" from events.toml")
