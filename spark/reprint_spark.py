"""reprint scan on a Spark cluster.

    spark-submit spark/reprint_spark.py --reprint target/release/reprint --out OUT INPUT.jsonl... [scan options]

Reads JSON Lines (any path Spark reads: local, HDFS, S3 through the cluster's connectors) and
writes the records of `reprint scan --format jsonl` into OUT as text part files: read in order
(`cat OUT/part-*`), they are the single-machine output, byte for byte. The reprint binary is
shipped to the executors by Spark (`SparkContext.addFile`); it must run there (build it for the
executors' platform). Scan options (`--threshold`, `--shingle`, `--ocr`, ...) are reprint's own and
passed through to it. Where every executor sees the inputs at the same path (`--texts files`,
the default for local paths), the tasks read the texts from the files themselves and only
numbers, ids and packed keys cross Spark. The stages (see `src/part/`):

1. `reprint part read` per byte range of the inputs (or per partition of Spark's text input):
   every line parsed once by the CLI's own reader, counted in one pass (with each source's
   documents and the text bytes), the documents numbered in input order; ids checked for repeats
   by hash;
2. `reprint part keys` per range: each document's LSH band keys, anchors and (with
   --containment) containment samples, packed into one binary blob per reducer (never a Python
   record per key) and shuffled straight to it;
3. `reprint part group` per reducer, on the blobs Spark shuffled to it: oversized buckets,
   frequent anchors (held by more than max_df documents), frequent samples and each source's
   boilerplate, counted over the whole corpus; each *block* (documents numbered block*B ..
   block*B+B-1) wants every earlier member of its documents' buckets (of an oversized one, the
   first) and every earlier holder of their samples in its own part, and every earlier holder
   of their anchors that are not frequent in its *passage cells*: such a document shares only
   anchors with the block, so it can only be in a passage pair with one of its documents, and
   it goes to the cell of its range of --cell numbers, which also gets the block's documents
   that share an anchor with it. The wanted pairs meet the documents, which go to their parts
   (one block needs no routing: its task reads every range);
4. `reprint part scan` per part: the pairs whose later document is in the block (in a cell,
   those whose earlier document is in the cell's range), with their passages, as a
   single-machine scan finds them, kept in chunks. Where coincidental anchors link most
   documents, a block's own part stays its documents and the earlier ones sharing a bucket or
   sample with them, and each cell holds at most block + cell documents;
5. near-duplicate pairs joined into clusters (on the driver up to --driver-clusters pairs, else
   by label propagation on the executors), pairs put in the scan's order (ranges cut at the
   chunks' first places; one part's are in order already), cluster numbers filled in.
"""

import argparse
import bisect
import hashlib
import itertools
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
import uuid
from array import array

from pyspark import AccumulatorParam, SparkConf, SparkContext, SparkFiles, StorageLevel

# Beside this file; shipped to the executors below.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reprint_tasks import COUNTS, FACTS, POSTINGS, WANTED, run_frames, run_lines, run_output  # noqa: E402



def parse_args(argv):
    """The driver's options and reprint's scan options (in their order), from `argv`, where
    they may come in any order around the inputs (see `split_scan_options`)."""
    ap = argparse.ArgumentParser(
        description="reprint scan on a Spark cluster; unknown options go to reprint itself",
        allow_abbrev=False,
    )
    ap.add_argument("inputs", nargs="+", help="JSON Lines files (id, text; series/source, date, title)")
    ap.add_argument("--out", required=True, help="output directory (must not exist)")
    ap.add_argument("--reprint", required=True, help="the reprint binary to ship to the executors")
    ap.add_argument(
        "--block",
        type=int,
        default=0,
        help="documents per block (step 4; 0: one block per partition, at least 2,000 documents)",
    )
    ap.add_argument(
        "--cell",
        type=int,
        default=-1,
        help="earlier documents per passage cell: those sharing only anchors with a block are cut by "
        "number into ranges this wide, each scanned with the block in a task of its own, which then "
        "holds at most block + cell documents (default: the block size; 0: one range per block)",
    )
    ap.add_argument("--partitions", type=int, default=0, help="partitions of each stage (0: Spark's default parallelism)")
    ap.add_argument("--task-threads", type=int, default=1, help="threads of each reprint task")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    ap.add_argument("--skip-bad-lines", action="store_true", help="skip malformed lines with a warning (as reprint scan)")
    ap.add_argument("--dedupe-ids", action="store_true", help="keep the first document of a repeated id (as reprint scan)")
    ap.add_argument(
        "--texts",
        choices=("auto", "files", "spark"),
        default="auto",
        help="how texts reach the tasks: files (the tasks read the input files themselves, by byte "
        "range and by document; every executor must see them at the same path, as Spark's own "
        "file:// paths require), spark (texts travel through Spark: HDFS, S3), auto (files when "
        "every input is a local path)",
    )
    ap.add_argument(
        "--driver-clusters",
        type=int,
        default=2_000_000,
        help="near-duplicate pairs up to which clusters are joined on the driver; past it, by "
        "label propagation on the executors (default 2,000,000)",
    )
    own, scan_options = split_scan_options(ap, argv)
    return ap.parse_intermixed_args(own), scan_options


def value_options(argv):
    """The scan options of the reprint that `argv` names (`--reprint`) that take a value, as its
    `part settings --help` lists them (`--name <VALUE>`); None when it cannot be asked."""
    binary = next((w.split("=", 1)[1] for w in argv if w.startswith("--reprint=")), None)
    if binary is None and "--reprint" in argv[:-1]:
        binary = argv[argv.index("--reprint") + 1]
    if binary is None:
        return None
    try:
        text = subprocess.run([binary, "part", "settings", "--help"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+) <", text, re.M))


def split_scan_options(ap, argv):
    """`argv` cut into the driver's own arguments (its options, with their values, and the
    inputs) and reprint's scan options: an option the driver does not know is reprint's, with
    the word after it as its value when reprint says the option takes one (`value_options`;
    where reprint cannot be asked, unless that word is an option, a URI or an existing path).
    argparse alone would take `0.5` in `--threshold 0.5 corpus.jsonl` for an input."""
    takes_value = value_options(argv)
    own, scan = [], []
    i = 0
    while i < len(argv):
        word, value = argv[i], argv[i + 1] if i + 1 < len(argv) else None
        i += 1
        name = word.split("=", 1)[0]
        action = ap._option_string_actions.get(name) if word.startswith("-") else None
        if word.startswith("-") and action is None:
            scan.append(word)
            if takes_value is not None:
                wants = name in takes_value
            else:
                wants = value is not None and not (value.startswith("-") or "://" in value or os.path.exists(value))
            if "=" not in word and value is not None and wants:
                scan.append(value)
                i += 1
            continue
        own.append(word)
        if action is not None and action.nargs != 0 and "=" not in word and value is not None:
            own.append(value)
            i += 1
    return own, scan


# ---- reading ------------------------------------------------------------------------------


def read_line(out):
    """A line of `reprint part read`: ("doc", id as JSON, fields as JSON or (offset, length) of
    its line, source as JSON, text bytes, named) / ("empty", named) / ("bad", message) /
    ("blank",)."""
    kind = out[:1]
    if kind == "D":
        _, id_json, source, size, fields = out.split("\t", 4)
        return ("doc", id_json, fields, source, int(size), id_json != "null")
    if kind == "R":
        _, id_json, source, size, offset, length = out.split("\t")
        return ("doc", id_json, (int(offset), int(length)), source, int(size), id_json != "null")
    if kind == "E":
        return ("empty", out[2:] == "1")
    if kind == "B":
        return ("bad", out[2:])
    return ("blank",)


def read_output(out):
    """`reprint part read`'s output (str) as (its lines without the summary, the `#summary`
    JSON: counts, lines counted from 0, each document's id hash in hex)."""
    cut = out.rfind("\n#summary\t") + 1
    if not out.startswith("#summary\t", cut):
        raise RuntimeError("reprint part read: output without its summary line")
    return out[:cut].rstrip("\n"), json.loads(out[cut + len("#summary\t"):])


class ByKey(AccumulatorParam):
    """Values gathered by key: partition or block (a task run twice counts once)."""

    def zero(self, value):
        return {}

    def addInPlace(self, value1, value2):
        value1.update(value2)
        return value1


def local_path(path):
    """`path` as a local file's path when it names one (no scheme, or file:), else None."""
    if path.startswith("file://"):
        path = path[len("file://"):]
    elif path.startswith("file:"):
        path = path[len("file:"):]
    elif "://" in path:
        return None
    return os.path.abspath(path) if os.path.isfile(path) else None


# Bytes of input per read task when the tasks read the files themselves. Each task costs pyspark
# a fixed share (a worker's setup, a reprint process); a range's read output is small and its
# keys task holds about half its size in postings, so ranges larger than Hadoop's 32 MB local
# splits cost little (1M articles: 70 ranges of 64 MB took 14.6 s to read, 18 of 256 MB 6.1 s).
RANGE_BYTES = 256 << 20


def byte_ranges(paths, partitions):
    """(input number, start, end) cutting each file into ranges of about RANGE_BYTES, at least
    `partitions` in all (and one per file)."""
    sizes = [os.path.getsize(p) for p in paths]
    step = max(1, min(RANGE_BYTES, -(-sum(sizes) // max(partitions, 1))))
    return [(f, start, min(start + step, size)) for f, size in enumerate(sizes) for start in range(0, max(size, 1), step)]


def read_corpus(sc, inputs, partitions, binary, files):
    """The documents as (n, id, line for reprint, source as JSON, text bytes) in input order
    (not yet computed, from the cached parsed lines), their ids' hashes (an array per partition),
    their counts (documents, documents of each source by its name as JSON, text bytes), and the
    reading problems: every line is parsed once by `reprint part read` (the CLI's own reader),
    which counts them and hashes the ids as it goes, into a cache; lines are numbered from the
    counts of the partitions before. With `files` (the inputs' local paths), the tasks read
    byte ranges of the files themselves and a document's line for reprint names where its line
    is (`"at"`), not its fields: texts never cross Spark."""
    if files:
        ranges = byte_ranges(files, partitions or sc.defaultParallelism)
        place = [(inputs[f], f) for f, _, _ in ranges]
        rdds = [sc.parallelize(ranges, len(ranges))]

        def parse(i, items):
            return (run_output([binary, "part", "read", "--input", files[f], "--range", str(start), str(end)], ()) for f, start, end in items)
    else:
        rdds = [sc.textFile(path, minPartitions=partitions or None) for path in inputs]
        place = [(path, f) for f, (path, rdd) in enumerate(zip(inputs, rdds)) for _ in range(rdd.getNumPartitions())]

        def parse(i, raw):
            return [run_output([binary, "part", "read", *(["--file-start"] if i == 0 else [])], raw)]

    # Each partition's counts come back in an accumulator as the cache is filled (keyed by
    # partition, so a task run twice counts once); what does not fit in memory goes to disk.
    counted = sc.accumulator({}, ByKey())

    def summarized(g, outputs):
        # A partition is one run of `part read` (one byte range, or one partition of the text
        # input). Its output lines are kept as one string (one record, not one per line), with
        # its documents' id hashes and the lines of those without id.
        for run, out in enumerate(outputs):
            if run:
                raise RuntimeError(f"partition {g} of the input holds more than one range")
            text, summary = read_output(out)
            counted.add({g: {k: v for k, v in summary.items() if k not in ("hashes", "unnamed_docs")}})
            yield text, summary["hashes"], summary["unnamed_docs"]

    parsed = sc.union([rdd.mapPartitionsWithIndex(parse) for rdd in rdds]).mapPartitionsWithIndex(summarized)
    parsed = parsed.persist(StorageLevel.MEMORY_AND_DISK)
    parsed.count()
    summaries = counted.value
    line_at, doc_at = [], []
    lines_before, docs_before = {}, 0
    for g, (path, _) in enumerate(place):
        lines, docs = (summaries[g]["lines"], summaries[g]["docs"]) if g in summaries else (0, 0)
        line_at.append(lines_before.get(path, 0) + 1)
        lines_before[path] = lines_before.get(path, 0) + lines
        doc_at.append(docs_before)
        docs_before += docs
    shown, bad, empty, unnamed, sources, size = [], 0, 0, {}, {}, 0
    for g, (path, _) in enumerate(place):
        if g not in summaries:
            continue
        read = summaries[g]
        bad, empty, size = bad + read["bad"], empty + read["empty"], size + read["bytes"]
        for name, docs in read["sources"].items():
            sources[name] = sources.get(name, 0) + docs
        shown.extend(f"{path}:{line_at[g] + k}: {m}" for k, m in read["shown"])
        if read["unnamed"]:
            count, at = unnamed.get(path, (0, line_at[g] + read["first_unnamed"]))
            unnamed[path] = (count + read["unnamed"], at)

    def place_name(g, k):
        """The name of line `k` (from 0) of partition `g`, for a document without id (the CLI's
        FILE:LINE)."""
        return f"{place[g][0]}:{line_at[g] + k}"

    def number(g, items):
        """(n, id, line for reprint, source as JSON, text bytes) of each document."""
        n = doc_at[g]
        for k, r in ((k, read_line(line)) for blob, _, _ in items for k, line in enumerate(blob.split("\n"))):
            if r[0] == "doc":
                _, id_json, fields, source, size, named = r
                doc_id = json.loads(id_json) if named else place_name(g, k)
                id_json = id_json if named else json.dumps(doc_id, ensure_ascii=False)
                if isinstance(fields, tuple):
                    yield n, doc_id, f'{{"n":{n},"id":{id_json},"at":[{place[g][1]},{fields[0]},{fields[1]}]}}', source, size
                else:
                    yield n, doc_id, f'{{"n":{n},"id":{id_json},{fields[1:]}', source, size
                n += 1

    def id_hashes(g, items):
        """The hash of each document's id (`id_hash`), in order, as one array: reprint's, and
        for a document without id, that of its FILE:LINE name."""
        for _, hashes, unnamed_docs in items:
            out = u64s(bytes.fromhex(hashes), "little")
            if unnamed_docs:
                holes = (i for i, h in enumerate(out) if h == 0)
                for i, k in zip(holes, unnamed_docs):
                    out[i] = id_hash(place_name(g, k))
            yield out

    def named(wanted):
        """(n, id) of the documents whose numbers are in `wanted` (a broadcast set): only their
        ids are decoded."""

        def pick(g, items):
            n = doc_at[g]
            for blob, _, _ in items:
                for k, line in enumerate(blob.split("\n")):
                    if line[:1] in ("D", "R"):
                        if n in wanted.value:
                            id_json = line.split("\t", 2)[1]
                            yield n, json.loads(id_json) if id_json != "null" else place_name(g, k)
                        n += 1

        return parsed.mapPartitionsWithIndex(pick)

    docs = parsed.mapPartitionsWithIndex(number)
    hashes = parsed.mapPartitionsWithIndex(id_hashes)
    counts = {"documents": docs_before, "sources": sources, "bytes": size, "named": named}
    # Where the tasks read the documents themselves: each range, numbered (src/part/inputs.rs).
    if files:
        counts["ranges"] = [
            {"input": f, "start": start, "end": end, "first_doc": doc_at[g], "first_line": line_at[g], "name": inputs[f]}
            for g, (f, start, end) in enumerate(ranges)
        ]
    return docs, hashes, counts, (bad, shown[:20]), empty, sorted(unnamed.items()), parsed


# ---- running reprint on executors ------------------------------------------------------------

def u64s(data, byteorder):
    """Packed unsigned 64-bit numbers (bytes, in `byteorder`: "little" as reprint writes them,
    `sys.byteorder` as `array` packed them here) as an array."""
    out = array("Q")
    out.frombytes(data)
    if byteorder != sys.byteorder:
        out.byteswap()
    return out


def renumbered(line, n):
    """A document's line for reprint (`{"n":OLD,...}`, as `read_corpus` makes it) numbered `n`."""
    return f'{{"n":{n},{line[line.index(",") + 1:]}'


def id_hash(doc_id):
    """A 64-bit hash of a document id, the same on every executor and as `reprint part read`
    writes it (BLAKE2b with an 8-byte digest, little-endian; 0 is kept for "no id")."""
    return max(1, int.from_bytes(hashlib.blake2b(doc_id.encode("utf-8"), digest_size=8).digest(), "little"))


def docs_of(rows):
    """Each document's (number, line for reprint), from the rows."""
    return rows.map(lambda r: (r[0], r[2]))


def duplicate_ids(ids, hashes, parts):
    """(id, [numbers]) of every id held by more than one document, from (number, id) and the
    documents' `id_hash`es (arrays). The hashes are compared first, packed a partition at a time
    (a record per reducer, not per id); only the ids whose hash repeats are grouped."""

    def packed(items):
        out = [array("Q") for _ in range(parts)]
        for hashes in items:
            for h in hashes:
                out[h % parts].append(h)
        return [(r, a.tobytes()) for r, a in enumerate(out) if a]

    def repeated(items):
        seen, twice = set(), set()
        for _, blob in items:
            hashes = u64s(blob, sys.byteorder)
            for h in hashes:
                (twice if h in seen else seen).add(h)
        return twice

    suspects = hashes.mapPartitions(packed).partitionBy(parts, lambda r: r).mapPartitions(repeated).collect()
    if not suspects:
        return ids.context.emptyRDD()
    wanted = ids.context.broadcast(set(suspects))
    return (
        ids.filter(lambda x: id_hash(x[1]) in wanted.value)
        .map(lambda x: (x[1], x[0]))
        .groupByKey(parts)
        .filter(lambda x: len(x[1]) > 1)
        .map(lambda x: (x[0], sorted(x[1])))
    )


def group_postings(lines, keys_args, reducers, group_args, sources_name):
    """Steps 2 and 3: every document's band keys and anchors, from reprint on the executors as
    postings blobs, one per batch of documents and reducer, shuffled straight to their reducers
    and grouped there by reprint (with the sources' sizes in the file Spark serves as
    `sources_name`): the facts of each (frequent anchors, boilerplate, oversized buckets), the
    wanted (member, block) pairs as (route, bytes), kept, and the keys tasks' counts (documents
    without words, bytes of postings) summed."""
    counted = lines.context.accumulator({}, ByKey())

    def postings(i, items):
        wordless = size = 0
        for tag, reducer, payload in run_frames(keys_args, (line.encode("utf-8") + b"\n" for _, line in items)):
            if tag == POSTINGS:
                yield reducer, payload
            elif tag == COUNTS:
                counts = json.loads(payload)
                wordless, size = wordless + counts["wordless"], size + counts["postings_bytes"]
        counted.add({i: (wordless, size)})

    def blobs(items):
        for _, blob in items:
            yield struct.pack("<I", len(blob))
            yield blob

    grouped = (
        lines.mapPartitionsWithIndex(postings)
        .partitionBy(reducers, lambda r: r)
        .mapPartitions(lambda it: run_frames([*group_args, "--sources", SparkFiles.get(sources_name)], blobs(it)))
        .persist(StorageLevel.MEMORY_AND_DISK)
    )
    facts = grouped.filter(lambda f: f[0] == FACTS).map(lambda f: json.loads(f[2])).collect()
    wanted = grouped.filter(lambda f: f[0] == WANTED).map(lambda f: (f[1], f[2]))
    wordless = sum(w for w, _ in counted.value.values())
    shuffled = sum(b for _, b in counted.value.values())
    return facts, wanted, wordless, shuffled, grouped


def merge_facts(facts):
    """The reducers' facts as the whole corpus's: frequent anchors sorted, boilerplate as
    sorted (source name, anchor), the count and largest size of distinct oversized buckets with
    their keys sorted, the frequent containment samples sorted, and the passage cells wanted as
    (block, range), sorted."""
    frequent = sorted(h for f in facts for h in f["frequent"])
    boilerplate = sorted((name, h) for f in facts for name, h in f["boilerplate"])
    oversized = {(a, b): size for f in facts for a, b, size in f["oversized"]}
    samples = sorted(h for f in facts for h in f["frequent_samples"])
    cells = sorted({(b, k) for f in facts for b, k in f["cells"]})
    oversized_keys = sorted(k for f in facts for k in f["oversized_keys"])
    return frequent, boilerplate, (len(oversized), max(oversized.values(), default=0), oversized_keys), samples, cells


def route_docs(lines, wanted, routes, block, cell):
    """Each document sent to its own block's part, to every block's part that wants it, and to
    the passage cells that want it, as (part, (n, line)): a part is (block, -1) for a block's
    own, (block, k) for its cell of earlier documents numbered k*cell .. k*cell+cell-1 (cell 0:
    one range, k 0) with the block's documents that share an anchor with them. The wanted
    (member, want) pairs meet their documents in routes (number modulo routes); an earlier
    document a block's own part wants leaves the block's cells (its pairs with the block would be
    found twice)."""

    def route(items):
        wants = {}
        docs = []
        for _, value in items:
            if isinstance(value, bytes):
                pairs = u64s(value, "little")
                for i in range(0, len(pairs), 2):
                    wants.setdefault(pairs[i], []).append(pairs[i + 1])
            else:
                docs.append(value)
        for n, line in docs:
            own = n // block
            yield (own, -1), (n, line)
            # A want (reprint::part::shuffle::Want): kind in the low 2 bits (0: the block's own
            # part, 1: a cell, as an earlier document, 2: a cell, as one of the block's), the
            # block in the next 32, a kind 2's range above them.
            wanted = wants.get(n, ())
            in_parts = {(w >> 2) & 0xFFFFFFFF for w in wanted if w & 3 == 0}
            in_parts.discard(own)
            for b in in_parts:
                yield (b, -1), (n, line)
            k = n // cell if cell else 0
            for b in {(w >> 2) & 0xFFFFFFFF for w in wanted if w & 3 == 1} - in_parts:
                yield (b, k), (n, line)
            for r in {w >> 34 for w in wanted if w & 3 == 2}:
                yield (own, r), (n, line)

    keyed = lines.map(lambda x: (x[0] % routes, x))
    return wanted.union(keyed).partitionBy(routes, lambda q: q).mapPartitions(route)


# Bytes of pair lines per chunk: the pairs travel through Spark in chunks, not one by one.
CHUNK_BYTES = 8 << 20


def pair_key(line):
    """A `part scan` pair line's place in the scan's order (strongest first, then by number),
    and whether it is a near-duplicate pair."""
    f = line.split(b"\t", 6)
    return (-float(f[2]), -float(f[3]), -int(f[4]), int(f[0]), int(f[1])), f[5] == b"1"


def scan_blocks(routed, keys, block, parts, scan_args, facts_name, binary, collect_edges):
    """Step 4: every part (`keys`: (block, -1) for a block's own, (block, k) for its cells)
    scanned where it meets (a partition each, streamed to reprint as it comes: reprint puts the
    part in order). Its pair lines are kept in chunks of about CHUNK_BYTES, as ("chunk", part,
    seq, bytes), with the near-duplicate pairs of each as ("edges", packed pairs of numbers).
    Gathered as they are kept: each part's counts (with its pairs, near-duplicate pairs and pairs
    with passages), each chunk's first place in the order, and the near-duplicate pairs of parts
    with at most `collect_edges` of them."""
    args = [binary, "part", "scan", *scan_args]
    sc = routed.context
    counted, firsts, edges_of = sc.accumulator({}, ByKey()), sc.accumulator({}, ByKey()), sc.accumulator({}, ByKey())
    scans = len(keys)

    def scan_partition(p, items):
        b, k = keys[p]
        head = [f"#block\t{b * block}\t{(b + 1) * block}" + ("\tcell" if k >= 0 else "")]
        lines = itertools.chain(head, (line for _, (_, line) in items))
        found = {"pairs": 0, "near_pairs": 0, "pairs_with_passages": 0}
        chunk, size, seq, first, edges, near = [], 0, 0, {}, array("Q"), []
        done, piece, to = 0, 1, 0  # bytes of records so far, bytes per piece, the chunk's piece

        def cut():
            nonlocal chunk, size, seq, edges
            out = [(to, ("chunk", p, seq, b"\n".join(chunk))), (to, ("edges", edges.tobytes()))]
            chunk, size, seq, edges = [], 0, seq + 1, array("Q")
            return out

        def piece_of():
            # One part's chunks go in order to `parts` pieces of about the same size (its
            # pairs are the whole order); many parts' are spread and merged later.
            return min(done // piece, parts - 1) if scans == 1 else seq % parts

        for line in run_lines([*args, "--whole", SparkFiles.get(facts_name)], lines):
            if line.startswith(b"#stats\t"):
                found.update(json.loads(line[7:]))
                continue
            if line.startswith(b"#pairs\t"):
                piece = max(1, -(-int(line.split(b"\t")[2]) // parts))
                continue
            key, is_near = pair_key(line)
            if chunk and (size >= CHUNK_BYTES or piece_of() != to):
                yield from cut()
            if not chunk:
                first[(p, seq)] = key
                to = piece_of()
            chunk.append(line)
            size += len(line) + 1
            done += len(line) - line.index(b"{") + 1
            found["pairs"] += 1
            found["pairs_with_passages"] += key[2] < 0
            if is_near:
                found["near_pairs"] += 1
                edges.extend(key[3:])
                if len(near) <= collect_edges:
                    near.append(key[3:])
        if chunk:
            yield from cut()
        counted.add({p: found})
        firsts.add(first)
        edges_of.add({p: near if len(near) <= collect_edges else None})

    # A part's output is spread over `parts` partitions: one part's pairs and passages can be
    # gigabytes. One part's go in order: partition p holds the p-th piece of the order. They
    # are kept where the shuffle wrote them, not cached again: Spark does not run a stage again
    # whose shuffle output is there, and the later stages read it from there. Taking the first
    # chunk (in the JVM) runs the parts and reads one chunk only.
    index = {key: i for i, key in enumerate(keys)}
    part = routed.coalesce(1) if scans == 1 else routed.partitionBy(scans, lambda key: index[key])
    kept = part.mapPartitionsWithIndex(scan_partition).partitionBy(parts, lambda p: p)
    kept._jrdd.rdd().take(1)
    found = kept.values()
    stats = counted.value.values()
    names = ("candidates", "aligned_pairs", "passages", "unquoted_dropped", "part_documents")
    in_cells = sum(s.get("block_documents", 0) for p, s in counted.value.items() if keys[p][1] >= 0)
    totals = {k: sum(s.get(k, 0) for s in stats) for k in (*names, "pairs", "near_pairs", "pairs_with_passages")}
    totals["largest_part"] = max((s.get("part_documents", 0) for s in stats), default=0)
    totals["blocks"] = sum(k < 0 for _, k in keys)
    totals["cells"] = scans - totals["blocks"]
    totals["block_documents_in_cells"] = in_cells
    near = edges_of.value.values()
    edges = None if None in near or sum(map(len, near)) > collect_edges else [e for es in near for e in es]
    return found, kept, totals, sorted(firsts.value.values()), edges


def edge_pairs(found):
    """The near-duplicate pairs of the kept chunks, as (a, b)."""

    def unpacked(record):
        # Packed by scan_partition, on this platform.
        pairs = u64s(record[1], sys.byteorder)
        return zip(pairs[0::2], pairs[1::2])

    return found.filter(lambda r: r[0] == "edges").flatMap(unpacked)


def components(edges, parts):
    """Connected components of `edges` (pairs of numbers): (vertex, smallest vertex of its
    component), by label propagation, never collected."""
    adj = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).partitionBy(parts).cache()
    labels = adj.map(lambda x: (x[0], min(x[0], x[1]))).reduceByKey(min, parts).cache()
    while True:
        moved = labels.join(adj).map(lambda x: (x[1][1], x[1][0])).union(labels).reduceByKey(min, parts).cache()
        changed = moved.join(labels).filter(lambda x: x[1][0] != x[1][1]).count()
        labels.unpersist()
        labels = moved
        if changed == 0:
            return labels


def driver_components(edges):
    """Connected components of `edges` (pairs of numbers), on the driver: the members of each,
    in order, the components in order of their first member."""
    parent = {}

    def root(x):
        top = x
        while parent[top] != top:
            top = parent[top]
        while parent[x] != top:
            parent[x], x = top, parent[x]
        return top

    for a, b in edges:
        parent.setdefault(a, a)
        parent.setdefault(b, b)
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for v in sorted(parent):
        groups.setdefault(root(v), []).append(v)
    return [groups[r] for r in sorted(groups)]


def record_json(value):
    """A record as serde_json writes it (no spaces, non-ASCII as is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def cluster_record(number, names):
    """The `cluster` record of cluster `number` whose members are named `names`, in order."""
    return record_json({"type": "cluster", "id": number, "size": len(names), "members": names})


def clusters_on_driver(sc, named, edges):
    """Step 5, where the near-duplicate pairs `edges` were few enough to collect: clusters
    numbered from 0 in input order of their first member; each member's cluster (a dict); the
    `cluster` records in order (a list). `named(wanted)`: the (number, id) of the documents
    numbered in the broadcast set `wanted`."""
    members = driver_components(edges)
    cluster_of = {m: c for c, group in enumerate(members) for m in group}
    wanted = sc.broadcast(set(cluster_of))
    names = dict(named(wanted).collect())
    wanted.destroy()
    records = [cluster_record(c, [names[m] for m in group]) for c, group in enumerate(members)]
    return cluster_of, records


def clusters_of(ids, edges, parts):
    """Step 5 on the executors: clusters numbered from 0 in input order of their first member,
    as (id, members) pairs; each member's cluster; and the `cluster` records in order."""
    labels = components(edges, parts)
    groups = labels.map(lambda x: (x[1], x[0])).groupByKey(parts).map(lambda x: (x[0], sorted(x[1])))
    numbered = groups.sortByKey(numPartitions=parts).zipWithIndex().map(lambda x: (x[1], x[0][1])).cache()
    cluster_of = numbered.flatMap(lambda x: [(m, x[0]) for m in x[1]])
    records = (
        numbered.flatMap(lambda x: [(m, (x[0], i)) for i, m in enumerate(x[1])])
        .join(ids, parts)
        .map(lambda x: (x[1][0][0], (x[1][0][1], x[1][1])))
        .groupByKey(parts)
        .map(lambda x: (x[0], [name for _, name in sorted(x[1])]))
        .sortByKey(numPartitions=parts)
        .map(lambda x: cluster_record(x[0], x[1]))
    )
    return numbered, cluster_of, records


def with_cluster(record, cluster):
    """A near-duplicate pair's record (bytes) with its cluster filled in."""
    return record.replace(b'"cluster":null', b'"cluster":%d' % cluster, 1)


def final_lines(lines, cluster_of):
    """The `pair` records of `part scan` pair lines, in their order, their cluster filled in
    from `cluster_of` (a function of the pair's numbers), as chunks of lines (bytes)."""
    out, size = [], 0
    for line in lines:
        f = line.split(b"\t", 6)
        record = with_cluster(f[6], cluster_of(int(f[0]), int(f[1]))) if f[5] == b"1" else f[6]
        out.append(record)
        size += len(record) + 1
        if size >= CHUNK_BYTES:
            yield b"\n".join(out)
            out, size = [], 0
    if out:
        yield b"\n".join(out)


def pair_records(found, scans, firsts, cluster_of, parts):
    """The `pair` records, strongest first as the scan sorts them, their cluster filled in, as
    chunks of lines (bytes). The order is cut into `parts` ranges at the chunks' first places
    (`firsts`, sorted; chunks are about the same size, so the ranges are too); each chunk's lines
    go to their ranges, and each range is sorted where it meets. A near-duplicate pair's cluster
    comes from a dict broadcast to the tasks, or (`cluster_of` an RDD of (member, cluster)) by a
    join that only near-duplicate pairs travel to, sent to the pair's range."""
    if scans == 1 and isinstance(cluster_of, dict):
        # One part's pieces are in order already: partition p holds the p-th.
        shared = found.context.broadcast(cluster_of)

        def in_order(records):
            chunks = sorted((r[2], r[3]) for r in records if r[0] == "chunk")
            lines = (line for _, blob in chunks for line in blob.split(b"\n"))
            return final_lines(lines, lambda a, b: shared.value[a])

        return found.mapPartitions(in_order)
    step = max(1, len(firsts) // max(parts, 1))
    bounds = firsts[step::step][: parts - 1]
    ranges = len(bounds) + 1
    chunks = found.filter(lambda r: r[0] == "chunk")

    def pieces(record):
        _, scanned, seq, blob = record
        out = {}
        for line in blob.split(b"\n"):
            out.setdefault(bisect.bisect_right(bounds, pair_key(line)[0]), []).append(line)
        return [(r, ("lines", scanned, seq, b"\n".join(lines))) for r, lines in out.items()]

    shared = None
    spread = chunks.flatMap(pieces)
    if isinstance(cluster_of, dict):
        shared = found.context.broadcast(cluster_of)
    else:

        def near_of(record):
            for line in record[3].split(b"\n"):
                key, near = pair_key(line)
                if near:
                    yield key[3], (bisect.bisect_right(bounds, key), key[4])

        fills = chunks.flatMap(near_of).join(cluster_of, parts)
        spread = spread.union(fills.map(lambda x: (x[1][0][0], ("cluster", x[0], x[1][0][1], x[1][1]))))

    def ordered(items):
        lines, clusters = [], {}
        for _, value in items:
            if value[0] == "lines":
                lines.extend(value[3].split(b"\n"))
            else:
                clusters[(value[1], value[2])] = value[3]
        lines.sort(key=lambda line: pair_key(line)[0])
        if shared is not None:
            return final_lines(lines, lambda a, b: shared.value[a])
        return final_lines(lines, lambda a, b: clusters[(a, b)])

    return spread.partitionBy(ranges, lambda r: r).mapPartitions(ordered)


# ---- the job -----------------------------------------------------------------------------------


def main(argv=None):
    args, scan_options = parse_args(sys.argv[1:] if argv is None else argv)
    conf = SparkConf().setAppName("reprint scan")
    if args.master:
        conf = conf.setMaster(args.master)
    sc = SparkContext.getOrCreate(conf)
    try:
        return run(sc, args, scan_options)
    finally:
        sc.stop()


def auto_block(documents, parts):
    """Documents per block when not given: one block per partition, at least 2,000. A block's
    own part holds its documents and the earlier ones sharing a bucket or sample with them; each
    of its passage cells holds earlier documents sharing only anchors with them, and again those
    of its documents that share one. Where coincidental
    anchors link most documents (as in synthetic text), a block of B documents is scanned in
    about (earlier documents / cell) + 1 tasks, so larger blocks fingerprint their documents
    again fewer times, and a task's memory is that of a scan of block + cell documents."""
    return max(-(-documents // parts), 2000)


def fail(messages):
    for message in messages:
        print(f"reprint: error: {message}", file=sys.stderr)
    return 2


def run(sc, args, scan_options):
    """The job on `sc`; returns the exit status (0, or 2 for bad options or input)."""
    # The facts about the whole corpus are a file Spark serves to the executors until the end.
    with tempfile.TemporaryDirectory(prefix="reprint-spark-") as facts_dir:
        return job(sc, args, scan_options, facts_dir)


def job(sc, args, scan_options, facts_dir):
    """`run`, keeping its files in `facts_dir`. What the job keeps between stages that may be
    large (parsed lines, postings) is kept in memory and on disk where memory runs out: Spark
    would otherwise drop it and compute it again. The pairs stay in the shuffle files their
    stage wrote."""
    parts = args.partitions or sc.defaultParallelism
    reprint = os.path.abspath(args.reprint)

    def settings_for(documents):
        return subprocess.run([reprint, "part", "settings", "--documents", str(documents), *scan_options], capture_output=True, text=True)

    check = settings_for(1)
    if check.returncode != 0:
        print(check.stderr.strip(), file=sys.stderr)
        return 2
    sc.addFile(reprint)
    binary = os.path.basename(reprint)
    # Functions of this module travel by name when it is imported (tests, notebooks): ship it.
    sc.addPyFile(os.path.abspath(__file__))
    sc.addPyFile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "reprint_tasks.py"))
    files = [local_path(p) for p in args.inputs] if args.texts != "spark" else []
    if args.texts == "files" and None in files:
        return fail([f"{p}: --texts files needs local input files" for p, f in zip(args.inputs, files) if f is None])
    files = files if files and None not in files else []
    scan_args = [*scan_options, "--threads", str(args.task_threads), *(a for f in files for a in ("--input", f))]

    # 1. reading
    docs, id_hashes, read_counts, bad, empty, unnamed, parsed = read_corpus(sc, args.inputs, args.partitions, binary, files)
    bad_count, bad_shown = bad
    if bad_count and not args.skip_bad_lines:
        return fail([f"{m} (use --skip-bad-lines to skip such lines)" for m in bad_shown])
    for m in bad_shown:
        print(f"reprint: warning: {m}; line skipped", file=sys.stderr)
    if bad_count > len(bad_shown):
        print(f"reprint: warning: {bad_count - len(bad_shown)} more malformed lines skipped", file=sys.stderr)
    # Each document's line for reprint is made from the cached parsed lines where it is needed;
    # its id is kept apart for the checks and the clusters.
    rows = docs  # (n, id, line, source, bytes); renumbered below when repeated ids are dropped
    n_read, sources, n_bytes = read_counts["documents"], read_counts["sources"], read_counts["bytes"]
    ids = rows.map(lambda r: (r[0], r[1]))
    dups = duplicate_ids(ids, id_hashes, parts).cache()
    dropped = dups.map(lambda x: len(x[1]) - 1).sum()
    if dropped and not args.dedupe_ids:
        shown = dups.take(10)
        return fail([f'duplicate document id "{i}" (documents {ns[0]} and {ns[1]} in input order; use --dedupe-ids to keep the first)' for i, ns in shown])
    if dropped:
        later = set(dups.flatMap(lambda x: x[1][1:]).collect())
        print(f"reprint: warning: {dropped} documents repeating an earlier id dropped", file=sys.stderr)
        # The dropped documents leave the counts.
        for _, _, _, source, size in rows.filter(lambda r: r[0] in later).collect():
            n_bytes -= size
            if source != "null":
                sources[source] -= 1
        sources = {name: count for name, count in sources.items() if count}
        kept = rows.filter(lambda r: r[0] not in later).zipWithIndex()
        rows = kept.map(lambda x: (x[1], x[0][1], renumbered(x[0][2], x[1]))).persist(StorageLevel.MEMORY_AND_DISK)
        ids = rows.map(lambda r: (r[0], r[1])).cache()
    n_docs = n_read - dropped
    if n_docs == 0:
        return fail([f"no documents found in {', '.join(args.inputs)}"])
    for path, (count, first) in unnamed:
        print(
            f'reprint: warning: {path}:{first}: {count} JSON lines had no "id" field (or an empty one): their '
            f"documents are named after their place (file:line), the first at {path}:{first}",
            file=sys.stderr,
        )
    lines = docs_of(rows)
    block = auto_block(n_docs, parts) if args.block <= 0 else args.block

    # 2 and 3. postings, grouped by reducers, with each source's size (the boilerplate rule
    # needs it) in a file shipped to the executors.
    sources_name = f"sources-{uuid.uuid4().hex}.json"
    sources_path = os.path.join(facts_dir, sources_name)
    with open(sources_path, "w", encoding="utf-8") as f:
        json.dump(sorted((json.loads(name), count) for name, count in sources.items()), f)
    sc.addFile(sources_path)
    keys_args = [binary, "part", "keys", "--reducers", str(parts), *scan_args]
    # With the inputs at hand and nothing renumbered, the tasks read their ranges themselves:
    # no document crosses Python on its way to them.
    ranges = read_counts.get("ranges") if not dropped else None
    if ranges:
        lines = sc.parallelize([(g, "#read\t" + json.dumps(r)) for g, r in enumerate(ranges)], len(ranges))
    cell = block if args.cell < 0 else args.cell
    group_args = [binary, "part", "group", *scan_options, "--documents", str(n_docs), "--block", str(block)]
    group_args += ["--cell", str(cell), "--routes", str(parts)]
    facts, wanted, wordless, shuffled, grouped = group_postings(lines, keys_args, parts, group_args, sources_name)
    frequent, boilerplate, (oversized, largest, oversized_keys), frequent_samples, cells = merge_facts(facts)
    # Every block's own part, and its passage cells. One block needs no routing: its part is the
    # whole corpus.
    keys = sorted([(b, -1) for b in range(-(-n_docs // block))] + cells)
    if n_docs > block:
        routed = route_docs(docs_of(rows), wanted, parts, block, cell)
    else:
        routed = lines.map(lambda x: ((0, -1), x))

    # 4. blocks, with the facts about the whole in a file shipped to the executors (one name per
    # job: a context may run several, and Spark keeps a name's first content).
    facts_name = f"whole-{uuid.uuid4().hex}.json"
    facts_path = os.path.join(facts_dir, facts_name)
    with open(facts_path, "w", encoding="utf-8") as f:
        json.dump(
            {
                "documents": n_docs,
                "frequent": frequent,
                "boilerplate": boilerplate,
                "frequent_samples": frequent_samples,
                "oversized": oversized_keys,
            },
            f,
            ensure_ascii=False,
        )
    sc.addFile(facts_path)
    found, kept, block_totals, firsts, edges = scan_blocks(
        routed, keys, block, parts, scan_args, facts_name, binary, args.driver_clusters
    )

    # 5. clusters and order
    n_pairs, with_passages = block_totals.pop("pairs"), block_totals.pop("pairs_with_passages")
    block_totals.pop("near_pairs")
    if edges is not None:
        named = read_counts["named"] if not dropped else lambda wanted: ids.filter(lambda x: x[0] in wanted.value)
        cluster_of, records = clusters_on_driver(sc, named, edges)
        n_clusters, clustered, clusters = len(records), len(cluster_of), sc.parallelize(records, 1)
    else:
        numbered, cluster_of, clusters = clusters_of(ids, edge_pairs(found), parts)
        n_clusters = numbered.count()
        clustered = numbered.map(lambda x: len(x[1])).sum() if n_clusters else 0
    ordered = pair_records(found, len(keys), firsts, cluster_of, parts)
    counts = {
        "documents": n_docs,
        "sources": len(sources),
        "bytes": n_bytes,
        "pairs": n_pairs,
        "clusters": n_clusters,
        "clustered_documents": clustered,
        "oversized_buckets": oversized,
        "largest_bucket": largest,
        "documents_without_words": wordless,
        "empty_skipped": empty,
        "bad_lines_skipped": bad_count,
        "duplicate_ids_dropped": dropped,
        "input_problems": len(unnamed) + bad_count + dropped,
        "pairs_with_passages": with_passages,
        "frequent_anchors": len(frequent),
        "boilerplate_anchors": len(boilerplate),
        "blocks": block_totals,
    }
    summary = subprocess.run(
        [reprint, "part", "summary", *scan_options], input=json.dumps(counts), check=True, capture_output=True, text=True
    ).stdout.rstrip("\n")
    sc.parallelize([summary], 1).union(ordered).union(clusters).saveAsTextFile(args.out)
    for cached in (parsed, grouped, kept):
        cached.unpersist()
    print(
        f"reprint: {n_docs} documents ({shuffled / 1e6:.1f} MB of postings shuffled; "
        f"{block_totals['part_documents']} sent to {block_totals['blocks']} blocks and {block_totals['cells']} cells, "
        f"{block_totals['block_documents_in_cells']} of them a cell's block's, at most {block_totals['largest_part']} to one): "
        f"{n_pairs} pairs, {n_clusters} clusters written to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
