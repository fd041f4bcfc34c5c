"""reprint: near-duplicate articles, shared passages and travelling quotes across news sources.

The work is done by reprint's Rust library (the same code as the ``reprint`` command line), with
the GIL released and on the threads asked for; Ctrl-C stops it. Results are the records
``reprint scan --format jsonl`` prints, as dicts (built in Rust, not parsed from JSON), and as
DataFrames on request. Passage offsets
are character offsets into the texts given, so ``text[p["a_start"]:p["a_end"]] == p["a_text"]``.

Options have the names and defaults of the library's configuration (``reprint.scan_defaults()``,
``reprint.quote_defaults()``): ``scan(docs, threshold=0.6, min_words=10)``.
"""

from __future__ import annotations

import json
import os
import warnings
from functools import cached_property
from typing import Any, Iterable, Optional

from . import _reprint

__version__ = _reprint.__version__

__all__ = [
    "scan",
    "quotes",
    "Archive",
    "ScanResult",
    "QuotesResult",
    "ReprintWarning",
    "scan_defaults",
    "quote_defaults",
]


class ReprintWarning(UserWarning):
    """A problem met while reading input that was skipped (the message names file and line)."""


def scan_defaults(ocr: bool = False) -> dict:
    """The scan options and their defaults (for OCR text with ``ocr=True``)."""
    return json.loads(_reprint.scan_defaults(ocr))


def quote_defaults() -> dict:
    """The quotes options and their defaults."""
    return json.loads(_reprint.quote_defaults())


_FIELDS = ("id", "text", "source", "date", "title")


def _optional(value: Any) -> Optional[str]:
    if value is None:
        return None
    try:
        # pandas and numpy missing values
        if value != value:
            return None
    except Exception:
        pass
    return str(value)


def _records(docs: Any) -> Iterable[dict]:
    """Rows as dicts from an iterable of dicts, a pandas or polars DataFrame or a pyarrow Table."""
    if hasattr(docs, "to_pylist") and hasattr(docs, "column_names"):  # pyarrow.Table
        return docs.to_pylist()
    if hasattr(docs, "to_dicts"):  # polars.DataFrame
        return docs.to_dicts()
    if hasattr(docs, "to_dict") and hasattr(docs, "columns"):  # pandas.DataFrame
        return docs.to_dict("records")
    return docs


def _rows(docs: Any) -> list:
    rows = []
    for i, r in enumerate(_records(docs)):
        if not isinstance(r, dict):
            raise TypeError(f"row {i + 1}: a document must be a dict with 'id' and 'text', not {type(r).__name__}")
        if r.get("id") is None:
            raise ValueError(f"row {i + 1}: no 'id'")
        text = r.get("text")
        if not isinstance(text, str):
            raise ValueError(f"row {i + 1} (id {r['id']!r}): 'text' must be a string, not {type(text).__name__}")
        rows.append((str(r["id"]), text, _optional(r.get("source")), _optional(r.get("date")), _optional(r.get("title"))))
    return rows


def _input(docs: Any, paths: Any) -> tuple:
    """(rows, paths) for the Rust side: documents given, or paths to read as the CLI does."""
    if docs is not None and paths is not None:
        raise TypeError("give documents or paths, not both")
    if isinstance(docs, (str, os.PathLike)):
        docs, paths = None, [docs]
    if paths is not None:
        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        return None, [os.fspath(p) for p in paths]
    if docs is None:
        raise TypeError("give documents (an iterable of dicts, a DataFrame, an Arrow table) or paths")
    return _rows(docs), None


def _warn(problems: list) -> None:
    for p in problems:
        warnings.warn(p, ReprintWarning, stacklevel=3)


def _frame(rows: list, library: str):
    if library == "pandas":
        import pandas

        return pandas.DataFrame(rows)
    if library == "polars":
        import polars

        return polars.DataFrame(rows)
    if library == "arrow":
        import pyarrow

        return pyarrow.Table.from_pylist(rows)
    raise ValueError(f"library must be pandas, polars or arrow, not {library!r}")


class ScanResult:
    """What a scan (or an archive query) found: the summary, pairs strongest first, clusters.
    The records are dicts, as ``json.loads`` reads the lines ``reprint scan --format jsonl`` prints
    (built in Rust, without JSON on the way)."""

    def __init__(self, records: list):
        self.records = records
        """Every record, as ``reprint scan --format jsonl`` prints them."""
        self.summary = records[0] if records else {}

    @cached_property
    def pairs(self) -> list:
        """The pairs, strongest first."""
        return [r for r in self.records if r.get("type") == "pair"]

    @cached_property
    def clusters(self) -> list:
        """The near-duplicate clusters."""
        return [r for r in self.records if r.get("type") == "cluster"]

    def __repr__(self) -> str:
        return f"<ScanResult: {len(self.pairs)} pairs, {len(self.clusters)} clusters, {self.summary.get('passages', 0)} passages>"

    def pairs_frame(self, library: str = "pandas"):
        """One row per pair (passages counted, not listed)."""
        rows = [{k: v for k, v in p.items() if k not in ("type", "passages")} | {"passages": len(p["passages"])}
                for p in self.pairs]
        return _frame(rows, library)

    def passages_frame(self, library: str = "pandas"):
        """One row per shared passage: the pair's ids and scores, then the passage."""
        rows = []
        for p in self.pairs:
            head = {"a": p["a"], "b": p["b"], "jaccard": p["jaccard"], "containment": p["containment"], "cluster": p["cluster"]}
            rows.extend(head | x for x in p["passages"])
        return _frame(rows, library)


class QuotesResult:
    """What `quotes` found: the summary and the quotes, most widely shared first."""

    def __init__(self, records: list):
        self.records = records
        """Every record, as ``reprint quotes --format jsonl`` prints them."""
        self.summary = records[0] if records else {}

    @cached_property
    def quotes(self) -> list:
        """The quotes, most widely shared first."""
        return [r for r in self.records if r.get("type") == "quote"]

    def __repr__(self) -> str:
        return f"<QuotesResult: {len(self.quotes)} quotes>"

    def occurrences_frame(self, library: str = "pandas"):
        """One row per occurrence: the quote's id, text and speaker, then where it appears."""
        rows = []
        for q in self.quotes:
            head = {"quote": q["id"], "quote_text": q["text"], "quote_speaker": q["speaker"], "sources": q["sources"]}
            rows.extend(head | o for o in q["occurrences"])
        return _frame(rows, library)


def scan(docs: Any = None, *, paths: Any = None, threads: int = 0, dedupe_ids: bool = False,
         skip_bad_lines: bool = False, **options: Any) -> ScanResult:
    """Near-duplicate pairs, clusters and shared passages of ``docs``.

    ``docs``: an iterable of dicts, a pandas or polars DataFrame or a pyarrow Table with ``id`` and
    ``text`` (and optional ``source``, ``date``, ``title``); or a path. ``paths``: files or
    directories, read as ``reprint scan`` reads them. ``threads``: 0 for one per core; the results
    do not depend on it. ``options``: see ``scan_defaults()``; ``ocr=True`` starts from the OCR
    defaults. Bad input raises ``ValueError`` naming the row, or the file and line.
    """
    rows, paths = _input(docs, paths)
    out, problems = _reprint.scan(rows, paths, json.dumps(options), threads, dedupe_ids, skip_bad_lines)
    _warn(problems)
    return ScanResult(out)


def quotes(docs: Any = None, *, paths: Any = None, threads: int = 0, dedupe_ids: bool = False,
           skip_bad_lines: bool = False, **options: Any) -> QuotesResult:
    """Quotations shared across sources: variants, speakers, first appearance (see ``scan`` for
    ``docs`` and ``paths``; options in ``quote_defaults()``)."""
    rows, paths = _input(docs, paths)
    out, problems = _reprint.quotes(rows, paths, json.dumps(options), threads, dedupe_ids, skip_bad_lines)
    _warn(problems)
    return QuotesResult(out)


class Archive:
    """A persistent archive (``reprint index``): add each day's articles, ask which reuse archived
    ones. The file is created by the first ``add``, with the scan options given to it."""

    def __init__(self, path: Any):
        self.path = os.fspath(path)

    def add(self, docs: Any = None, *, paths: Any = None, on_existing: str = "refuse", batch: int = 5000,
            threads: int = 0, **options: Any) -> dict:
        """Adds documents in committed batches; ``on_existing``: ``refuse``, ``replace`` or ``skip``
        documents whose id is archived. ``options`` fix a new archive's scan options."""
        rows, paths = _input(docs, paths)
        out, problems = _reprint.archive_add(self.path, rows, paths, json.dumps(options), on_existing, batch, threads)
        _warn(problems)
        return json.loads(out)

    def query(self, docs: Any = None, *, paths: Any = None, threads: int = 0, part_mb: int = 1000) -> ScanResult:
        """The new documents against the archive and each other, without adding them.
        ``part_mb``: MB of archived text scanned at once beyond the near-duplicate candidates
        (memory follows it, not the archive; the answer is the same)."""
        rows, paths = _input(docs, paths)
        out, problems = _reprint.archive_query(self.path, rows, paths, threads, part_mb)
        _warn(problems)
        return ScanResult(out)

    def quotes(self, docs: Any = None, *, paths: Any = None, threads: int = 0, **options: Any) -> QuotesResult:
        """The quotes the new documents share with each other and with the archive: every
        printing, archived ones included, and the first (options as ``reprint.quotes``)."""
        rows, paths = _input(docs, paths)
        out, problems = _reprint.archive_quotes(self.path, rows, paths, json.dumps(options), threads)
        _warn(problems)
        return QuotesResult(out)

    def stats(self) -> dict:
        """What the archive holds."""
        return json.loads(_reprint.archive_stats(self.path))

    def remove(self, ids: Iterable[str]) -> int:
        """Removes documents by id (all or none); returns how many."""
        return _reprint.archive_remove(self.path, [str(i) for i in ids])

    def compact(self) -> None:
        """Merges posting segments and drops removed documents."""
        _reprint.archive_compact(self.path)
