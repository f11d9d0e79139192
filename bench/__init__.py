"""chairctl's benchmarks: ``uv run python -m bench`` (see docs/performance.md).

Each module measures one thing and returns a :class:`bench.results.Section`; ``__main__`` runs
them, prints Markdown tables, writes ``bench/results.json`` and renders the docs from it.
"""
