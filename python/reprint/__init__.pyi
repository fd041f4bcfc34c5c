"""Type stubs of reprint's Python API. The option defaults are the library's (checked by
tests/test_reprint.py against ``scan_defaults()`` and ``quote_defaults()``); with ``ocr=True`` the
scan starts from ``scan_defaults(ocr=True)`` instead."""

import os
from typing import Any, Iterable, Literal, Optional, Union

__version__: str

Docs = Any  # an iterable of dicts, a pandas or polars DataFrame, a pyarrow Table, or a path
Paths = Union[str, os.PathLike, Iterable[Union[str, os.PathLike]]]
Library = Literal["pandas", "polars", "arrow"]

class ReprintWarning(UserWarning): ...

def scan_defaults(ocr: bool = False) -> dict: ...
def quote_defaults() -> dict: ...

class ScanResult:
    records: list[dict]
    summary: dict
    pairs: list[dict]
    clusters: list[dict]
    def pairs_frame(self, library: Library = "pandas") -> Any: ...
    def passages_frame(self, library: Library = "pandas") -> Any: ...

class QuotesResult:
    records: list[dict]
    summary: dict
    quotes: list[dict]
    def occurrences_frame(self, library: Library = "pandas") -> Any: ...

def scan(
    docs: Docs = None,
    *,
    paths: Optional[Paths] = None,
    threads: int = 0,
    dedupe_ids: bool = False,
    skip_bad_lines: bool = False,
    ocr: bool = False,
    shingle: int = 5,
    perms: int = 128,
    threshold: float = 0.5,
    containment: Optional[float] = None,
    lsh_fp_weight: float = 0.05,
    lsh_fn_weight: float = 0.95,
    lsh_bands: Optional[tuple[int, int]] = None,
    max_bucket: int = 200,
    containment_scale: int = 4,
    containment_max_df: int = 1000,
    seed: int = 5928232798850536497,
    passages: bool = True,
    min_words: int = 8,
    min_unquoted_words: int = 12,
    max_df: float = 100.0,
    anchor_k: int = 5,
    winnow: int = 2,
    max_gap: int = 30,
    x_drop: int = 4,
    boilerplate_min_docs: int = 3,
    boilerplate_share: float = 0.2,
    show_boilerplate: bool = False,
) -> ScanResult: ...

def quotes(
    docs: Docs = None,
    *,
    paths: Optional[Paths] = None,
    threads: int = 0,
    dedupe_ids: bool = False,
    skip_bad_lines: bool = False,
    min_words: int = 3,
    min_sources: int = 2,
    link_words: int = 6,
    max_edit: float = 0.3,
    min_unquoted_words: int = 6,
    unquoted_share: float = 0.5,
) -> QuotesResult: ...

class Archive:
    path: str
    def __init__(self, path: Union[str, os.PathLike]) -> None: ...
    def add(
        self,
        docs: Docs = None,
        *,
        paths: Optional[Paths] = None,
        on_existing: Literal["refuse", "replace", "skip"] = "refuse",
        batch: int = 5000,
        threads: int = 0,
        ocr: bool = False,
        shingle: int = 5,
        perms: int = 128,
        threshold: float = 0.5,
        containment: Optional[float] = None,
        lsh_fp_weight: float = 0.05,
        lsh_fn_weight: float = 0.95,
        lsh_bands: Optional[tuple[int, int]] = None,
        max_bucket: int = 200,
        containment_scale: int = 4,
        containment_max_df: int = 1000,
        seed: int = 5928232798850536497,
        passages: bool = True,
        min_words: int = 8,
        min_unquoted_words: int = 12,
        max_df: float = 100.0,
        anchor_k: int = 5,
        winnow: int = 2,
        max_gap: int = 30,
        x_drop: int = 4,
        boilerplate_min_docs: int = 3,
        boilerplate_share: float = 0.2,
        show_boilerplate: bool = False,
    ) -> dict: ...
    def query(
        self, docs: Docs = None, *, paths: Optional[Paths] = None, threads: int = 0, part_mb: int = 1000
    ) -> ScanResult: ...
    def quotes(
        self,
        docs: Docs = None,
        *,
        paths: Optional[Paths] = None,
        threads: int = 0,
        min_words: int = 3,
        min_sources: int = 2,
        link_words: int = 6,
        max_edit: float = 0.3,
        min_unquoted_words: int = 6,
        unquoted_share: float = 0.5,
    ) -> QuotesResult: ...
    def stats(self) -> dict: ...
    def remove(self, ids: Iterable[str]) -> int: ...
    def compact(self) -> None: ...
