"""A Datasette plugin that `rasd browse` loads (`--plugins-dir`): `?_search=` read as rasd reads
a query, so the table search finds what `rasd search` finds.

The index holds normalized words (`rasd/store/search.py`); Datasette would send what was
typed (الشارقة, أفريكوم) and find nothing where the index says الشارقه, افريكوم. This
middleware rewrites the `_search` parameter before Datasette sees it: the query parsed and
expanded by `rasd/text/search_query.py` (normalized spelling, proclitics, phrases,
AND/OR/NOT), passed with `_searchmode=raw`. That expression contains only quoted words,
operators and parentheses, so raw mode cannot be abused. A query rasd cannot read is passed
normalized, for Datasette's own escaping.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from rasd.text.normalize import normalize
from rasd.text.search_query import QueryError, parse_query, to_fts


def rewrite(query_string: str) -> str:
    """The query string with `_search` turned into rasd's FTS5 expression (raw mode)."""
    pairs = parse_qsl(query_string, keep_blank_values=True)
    if not any(key == "_search" and value.strip() for key, value in pairs):
        return query_string
    out = []
    raw = False
    for key, value in pairs:
        if key == "_searchmode":
            continue
        if key == "_search" and value.strip():
            try:
                value, raw = to_fts(parse_query(value)), True
            except QueryError:
                value = normalize(value)
        out.append((key, value))
    if raw:
        out.append(("_searchmode", "raw"))
    return urlencode(out)


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def rewritten(scope, receive, send):
            if scope.get("type") == "http" and scope.get("query_string"):
                query = scope["query_string"].decode("latin-1")
                changed = rewrite(query)
                if changed != query:
                    scope = {**scope, "query_string": changed.encode("latin-1")}
            await app(scope, receive, send)
        return rewritten
    return wrap
