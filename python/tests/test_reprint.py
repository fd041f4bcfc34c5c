"""reprint from Python: the same records as the command line, bad input raised, threads that
change nothing, the archive, and stubs that state the library's defaults."""

import ast
import json
import os
import signal
import subprocess
from pathlib import Path

import pytest

import reprint

ROOT = Path(__file__).resolve().parents[2]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl.gz"


def cli_binary() -> str:
    for candidate in (os.environ.get("REPRINT_BIN"), ROOT / "target" / "release" / "reprint", ROOT / "target" / "debug" / "reprint"):
        if candidate and Path(candidate).exists():
            return str(candidate)
    pytest.skip("no reprint binary: run `cargo build` first (or set REPRINT_BIN)")


def cli(*args) -> list:
    """The JSON Lines records `reprint ARGS --format jsonl -q` prints."""
    out = subprocess.run([cli_binary(), *map(str, args), "--format", "jsonl", "-q"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return [json.loads(line) for line in out.stdout.splitlines()]


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A 600-article synthetic corpus with planted reuse, from `reprint synth`."""
    d = tmp_path_factory.mktemp("synth")
    subprocess.run([cli_binary(), "synth", "--docs", "600", "--seed", "7", "--words", "250", "--out", str(d)], check=True, capture_output=True)
    return d / "corpus.jsonl"


def rows_of(path: Path) -> list:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_paths_give_the_cli_records_on_the_seeds():
    assert reprint.scan(paths=["seeds"]).records == cli("scan", "seeds")


def test_rows_dataframes_and_arrow_give_the_cli_records(synthetic):
    want = cli("scan", synthetic)
    rows = rows_of(synthetic)
    got = reprint.scan(rows)
    assert got.records == want
    assert len(got.pairs) > 50, "the corpus has planted reuse"
    pandas = pytest.importorskip("pandas")
    assert reprint.scan(pandas.DataFrame(rows)).records == want
    pyarrow = pytest.importorskip("pyarrow")
    assert reprint.scan(pyarrow.Table.from_pylist(rows)).records == want


@pytest.mark.skipif(not REUTERS.exists(), reason="the shared Reuters corpus is not on this machine")
def test_reuters_gives_the_cli_records():
    assert reprint.scan(paths=[REUTERS]).records == cli("scan", REUTERS)


def test_passage_offsets_slice_python_strings(synthetic):
    rows = rows_of(synthetic)
    # Non-ASCII texts: curly quotes, accents and CJK before the shared passage.
    rows[0]["text"] = "“Café” 東京 — " + rows[0]["text"]
    text = {r["id"]: r["text"] for r in rows}
    result = reprint.scan(rows)
    passages = [(p, x) for p in result.pairs for x in p["passages"]]
    assert passages
    for p, x in passages:
        assert text[p["a"]][x["a_start"]:x["a_end"]] == x["a_text"]
        assert text[p["b"]][x["b_start"]:x["b_end"]] == x["b_text"]
    frame = result.passages_frame()
    assert len(frame) == len(passages)


def test_threads_change_nothing(synthetic):
    rows = rows_of(synthetic)
    assert reprint.scan(rows, threads=1).records == reprint.scan(rows, threads=2).records


def test_options_have_the_library_names_and_are_checked(synthetic):
    rows = rows_of(synthetic)
    assert reprint.scan(rows, threshold=0.8, min_words=12).records == cli("scan", synthetic, "--threshold", "0.8", "--min-words", "12")
    assert reprint.scan(rows[:50], ocr=True).summary["tokens"] == "letters"
    with pytest.raises(TypeError, match="unknown option \"treshold\""):
        reprint.scan(rows, treshold=0.8)
    with pytest.raises(ValueError, match="threshold"):
        reprint.scan(rows, threshold=2.0)


def test_bad_input_raises_with_the_cli_message(tmp_path):
    with pytest.raises(ValueError, match="duplicate id \"a\" \\(rows 1 and 2\\)"):
        reprint.scan([{"id": "a", "text": "one two"}, {"id": "a", "text": "three"}])
    kept = reprint.scan([{"id": "a", "text": "one two"}, {"id": "a", "text": "three"}], dedupe_ids=True)
    assert kept.summary["duplicate_ids_dropped"] == 1
    with pytest.raises(ValueError, match="row 2 .*'text' must be a string"):
        reprint.scan([{"id": "a", "text": "x"}, {"id": "b"}])
    with pytest.raises(ValueError, match="row 1: no 'id'"):
        reprint.scan([{"text": "x"}])
    with pytest.raises(TypeError):
        reprint.scan(["just a string"])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id":"a","text":"x y z"}\n{"id": broken\n')
    with pytest.raises(ValueError, match=f"{bad}:2: malformed JSON"):
        reprint.scan(paths=[bad])
    with pytest.warns(reprint.ReprintWarning, match=r"bad.jsonl:2 \(byte 26\): malformed JSON"):
        reprint.scan(paths=[bad], skip_bad_lines=True)
    with pytest.raises(ValueError, match="no such file|cannot|No such"):
        reprint.scan(paths=[tmp_path / "missing.jsonl"])


def test_quotes_give_the_cli_records():
    got = reprint.quotes(paths=["seeds"])
    assert got.records == cli("quotes", "seeds")
    assert got.quotes and len(got.occurrences_frame()) == sum(len(q["occurrences"]) for q in got.quotes)


def test_the_archive_answers_as_the_cli(tmp_path, synthetic):
    lines = synthetic.read_text().splitlines()
    old, new = tmp_path / "old.jsonl", tmp_path / "new.jsonl"
    old.write_text("\n".join(lines[:450]))
    new.write_text("\n".join(lines[450:]))
    a = reprint.Archive(tmp_path / "py.db")
    assert a.add(paths=[old], batch=100)["added"] == 450
    cli_db = tmp_path / "cli.db"
    subprocess.run([cli_binary(), "index", "add", str(cli_db), str(old), "-q", "--batch", "100"], check=True)
    got = a.query(rows_of(new))
    assert got.records == cli("index", "query", cli_db, new)
    # Parts of 1 MB of text asked for (a query this small is one part): the same records.
    assert a.query(rows_of(new), part_mb=1).records == got.records
    assert a.quotes(paths=[new], min_sources=1).records == cli("index", "quotes", cli_db, new, "--min-sources", "1")
    assert a.stats()["documents"] == 450
    assert a.remove([rows_of(old)[0]["id"]]) == 1
    a.compact()
    assert a.stats()["documents"] == 449
    assert a.add(paths=[new])["added"] == 150
    with pytest.raises(ValueError, match="archived already"):
        a.add(paths=[new])


def test_ctrl_c_stops_a_long_scan(tmp_path):
    corpus = tmp_path / "big"
    subprocess.run([cli_binary(), "synth", "--docs", "30000", "--seed", "8", "--out", str(corpus)], check=True, capture_output=True)

    def interrupt(*_):
        raise KeyboardInterrupt

    old = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    try:
        with pytest.raises(KeyboardInterrupt):
            reprint.scan(paths=[corpus / "corpus.jsonl"], threads=1)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    # The interpreter goes on, and so does the library.
    assert reprint.scan(paths=["seeds"]).records == cli("scan", "seeds")


def test_the_stubs_state_the_library_defaults():
    stub = ast.parse((Path(reprint.__file__).with_suffix(".pyi")).read_text())
    funcs = {n.name: n for n in ast.walk(stub) if isinstance(n, ast.FunctionDef)}

    def defaults(fn):
        args = fn.args
        return {a.arg: ast.literal_eval(d) for a, d in zip(args.kwonlyargs, args.kw_defaults) if d is not None}

    scan_defaults = reprint.scan_defaults()
    scan_defaults.pop("ocr")
    stated = defaults(funcs["scan"])
    assert {k: stated[k] for k in scan_defaults} == scan_defaults
    assert {k: v for k, v in defaults(funcs["quotes"]).items() if k in reprint.quote_defaults()} == reprint.quote_defaults()
    assert set(reprint.quote_defaults()) <= set(defaults(funcs["quotes"]))
