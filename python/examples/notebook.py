"""A notebook's worth of reprint from Python (CI runs this file from the repository root).

Scan the demo corpus, look at the shared passages as a DataFrame, list the quotes the outlets
share, then keep an archive and ask which of "today's" articles reuse it.
"""

import json
import tempfile
from pathlib import Path

import reprint

# 1. The five seed articles, read as `reprint scan seeds` reads them.
result = reprint.scan(paths=["seeds"])
print(result)
passages = result.passages_frame()  # pandas; "polars" or "arrow" on request
print(passages[["a", "b", "words", "score", "a_text"]].to_string(index=False))

# 2. Documents you already hold: dicts (or a DataFrame, or an Arrow table) with id and text.
docs = [
    {"id": "wire", "source": "AP", "text": "The minister said the talks would resume on Monday in Geneva after a week of delays."},
    {"id": "copy", "source": "Daily", "text": "Officials confirmed it. The minister said the talks would resume on Monday in Geneva after a week of delays."},
]
for p in reprint.scan(docs, min_words=8, min_unquoted_words=8).pairs:
    for x in p["passages"]:
        text_b = docs[1]["text"]
        assert text_b[x["b_start"]:x["b_end"]] == x["b_text"]  # offsets slice Python strings
        print(f'{p["a"]} -> {p["b"]}: "{x["b_text"]}"')

# 3. Quotes shared across outlets.
for q in reprint.quotes(paths=["seeds"]).quotes[:3]:
    print(f'{q["speaker"] or "unknown"} ({q["sources"]} sources): {q["text"][:70]}')

# 4. An archive: yesterday's articles in, today's asked against them.
with tempfile.TemporaryDirectory() as tmp:
    seeds = sorted(Path("seeds").iterdir())
    archive = reprint.Archive(Path(tmp) / "archive.db")
    archive.add(paths=[str(p) for p in seeds[:3]])
    today = archive.query(paths=[str(p) for p in seeds[3:]])
    print(json.dumps(archive.stats()["documents"]), "archived;", len(today.pairs), "pairs with today's articles")
