"""Imports point one way, and the pure code never reaches Scrapy: read from the source with ast.

Granularity is the package of the design (crawler, pipelines, and rasd's text, store, config,
clock, digest, daemon, cli): a module of one may import another only at the same layer or below,
the packages form no cycle, and no module under rasd/text or rasd/store imports scrapy, directly
or through any project module it imports.
"""
from __future__ import annotations

import ast
from functools import cache
from itertools import pairwise
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TOP_LEVEL = ("crawler", "pipelines", "rasd")
# Layers, lowest first: a package imports from its own layer or lower ones.
LAYERS = {
    "rasd.clock": 0, "rasd.config": 1, "rasd.text": 2, "rasd.store": 3,
    "crawler": 4, "pipelines": 4, "rasd.digest": 4,
    "rasd.daemon": 5, "rasd.queue": 5, "rasd.cli": 5, "rasd": 6,   # rasd itself: its __main__
}
PURE = ("rasd.text", "rasd.store")
SCRAPY = {"scrapy", "twisted"}


@cache
def modules() -> dict[str, Path]:
    """Every project module by dotted name."""
    found = {}
    for top in TOP_LEVEL:
        for path in (REPO / top).rglob("*.py"):
            parts = path.relative_to(REPO).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


@cache
def imports(module: str) -> frozenset[str]:
    """Dotted names `module` imports anywhere (also inside functions): project modules
    resolved to the module, others by their full name."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(filter(None, [*anchor, base]))
            for alias in node.names:
                child = f"{base}.{alias.name}"
                names.add(child if child in modules() else base)
    return frozenset(names)


def package_of(name: str) -> str | None:
    """The design package a dotted name belongs to (None outside the project)."""
    matches = [p for p in LAYERS if name == p or name.startswith(p + ".")]
    return max(matches, key=len) if matches else None


def package_edges() -> dict[tuple[str, str], str]:
    """(importer package, imported package) -> one example 'module imports module'."""
    edges = {}
    for module in sorted(modules()):
        source = package_of(module)
        for name in sorted(imports(module)):
            target = package_of(name)
            if target and target != source:
                edges.setdefault((source, target), f"{module} imports {name}")
    return edges


def find_cycle(edges: dict[tuple[str, str], str]) -> list[str] | None:
    """A package cycle as a list [a, b, ..., a], or None."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    state: dict[str, int] = {}   # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, [])):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_graph_sees_the_project():
    # a parser that found nothing would pass every test below
    assert {"rasd.cli.crawl", "rasd.store.seen", "pipelines.extract", "crawler.spiders.news",
            "rasd.clock", "rasd.config"} <= set(modules())
    assert "scrapy" in imports("crawler.spiders.news")
    assert "rasd.text.watchlist" in imports("pipelines.keywords")
    assert ("pipelines", "crawler") in package_edges()


def test_no_package_level_cycle():
    edges = package_edges()
    cycle = find_cycle(edges)
    assert cycle is None, "package cycle " + " -> ".join(cycle) + ":\n" + "\n".join(
        f"  {edges[a, b]}" for a, b in pairwise(cycle))


def test_imports_point_down_the_layers():
    upward = [f"{a} (layer {LAYERS[a]}) -> {b} (layer {LAYERS[b]}): {example}"
              for (a, b), example in package_edges().items() if LAYERS[b] > LAYERS[a]]
    assert not upward, "imports pointing up:\n" + "\n".join(upward)


def scrapy_chain(module: str) -> list[str] | None:
    """The import chain from `module` to scrapy or twisted through project modules, if any."""
    seen, queue = {module}, [[module]]
    while queue:
        chain = queue.pop(0)
        for name in sorted(imports(chain[-1])):
            if name.split(".")[0] in SCRAPY:
                return [*chain, name]
            if name in modules() and name not in seen:
                seen.add(name)
                queue.append([*chain, name])
    return None


def test_the_finder_finds_a_chain_through_project_modules():
    chain = scrapy_chain("pipelines.keywords")   # imports crawler.items, which imports scrapy
    assert chain is not None and chain[1] == "crawler.items"


def test_pure_packages_never_reach_scrapy():
    pure = [m for m in modules() if package_of(m) in PURE]
    assert len(pure) > 5
    chains = {m: chain for m in sorted(pure) if (chain := scrapy_chain(m))}
    assert not chains, "\n".join(" -> ".join(chain) for chain in chains.values())
