"""Each filter of a query as its SQL clause over the index's columns.

The filters are defined once, in :mod:`chrono.core.query`; the index filled its columns
(folded kinds, places and tags, the search haystack) from the same definitions, so each
clause keeps exactly the events the filter's ``test`` passes (a property test compares
the two on random logs and queries).
"""

from __future__ import annotations

from typing import Any, assert_never

from chrono.core.query import ActorGroups, Filter, Kinds, Places, Search, Span, Tags, word_start


def clause(chosen: Filter, fts: bool, where: list[str], params: list[Any]) -> None:
    """Add the SQL that keeps the events ``chosen.test`` passes."""
    match chosen:
        case Span(start, stop):
            if start is not None:
                where.append("stop > ?")
                params.append(start)
            if stop is not None:
                where.append("start < ?")
                params.append(stop)
        case ActorGroups(groups, any_of):
            parts = []
            for group in groups:
                marks = ",".join("?" * len(group))
                parts.append(f"n IN (SELECT n FROM event_actors WHERE actor IN ({marks}))")
                params.extend(group)
            where.append("(" + (" OR " if any_of else " AND ").join(parts) + ")")
        case Tags(tags):
            where += ["n IN (SELECT n FROM event_tags WHERE tag = ?)"] * len(tags)
            params.extend(tags)
        case Kinds(kinds):
            where.append(f"kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        case Places(places):
            where += ["instr(location, ?) > 0"] * len(places)
            params.extend(places)
        case Search(terms):
            for term in terms:
                if fts and len(term) >= 3:  # trigrams find the rows; instr confirms each
                    where.append("n IN (SELECT rowid FROM search WHERE search MATCH ?)")
                    params.append('"' + term.replace('"', '""') + '"')
                where.append("instr(haystack, ?) > 0")
                params.append(word_start(term))
        case _:
            assert_never(chosen)
