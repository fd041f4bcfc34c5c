"""reprint scan on a Spark cluster.

    spark-submit spark/reprint_spark.py --reprint target/release/reprint --out OUT INPUT.jsonl... [scan options]

Reads JSON Lines (any path Spark reads: local, HDFS, S3 through the cluster's connectors) and
writes the records of `reprint scan --format jsonl` into OUT as text part files: read in order
(`cat OUT/part-*`), they are the single-machine output, byte for byte. The reprint binary is
shipped to the executors by Spark (`SparkContext.addFile`); it must run there (build it for the
executors' platform). Scan options (`--threshold`, `--shingle`, `--ocr`, ...) are reprint's own and
passed through to it. The stages (see `src/part.rs`):

1. read and number the documents in input order;
2. `reprint part keys` per partition: each document's LSH band keys and anchors, packed into one
   binary blob per reducer (never a Python record per key);
3. `reprint part group` per reducer, on the blobs Spark shuffled to it: oversized buckets,
   frequent anchors (held by more than max_df documents) and each source's boilerplate, counted
   over the whole corpus; each *block* (documents numbered block*B .. block*B+B-1) wants every
   member of its documents' buckets and every earlier holder of their anchors that are not
   frequent; the wanted (member, block) pairs meet the documents, which go to their blocks;
4. `reprint part scan` per block: the pairs whose later document is in the block, with their
   passages, as a single-machine scan finds them;
5. near-duplicate pairs joined into clusters (connected components by label propagation,
   distributed), pairs sorted as the scan sorts them, cluster numbers filled in.
"""

import argparse
import itertools
import json
import os
import struct
import subprocess
import sys
import tempfile
import threading
import uuid
from array import array

from pyspark import SparkConf, SparkContext, SparkFiles

BINARY = "reprint"


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="reprint scan on a Spark cluster; unknown options go to reprint itself",
    )
    ap.add_argument("inputs", nargs="+", help="JSON Lines files (id, text; series/source, date, title)")
    ap.add_argument("--out", required=True, help="output directory (must not exist)")
    ap.add_argument("--reprint", required=True, help="the reprint binary to ship to the executors")
    ap.add_argument(
        "--block",
        type=int,
        default=0,
        help="documents per block (step 4; 0: two blocks per partition, from 2,000 to 100,000 documents each)",
    )
    ap.add_argument("--partitions", type=int, default=0, help="partitions of each stage (0: Spark's default parallelism)")
    ap.add_argument("--task-threads", type=int, default=1, help="threads of each reprint task")
    ap.add_argument("--master", default=None, help="Spark master (default: spark-submit's)")
    ap.add_argument("--skip-bad-lines", action="store_true", help="skip malformed lines with a warning (as reprint scan)")
    ap.add_argument("--dedupe-ids", action="store_true", help="keep the first document of a repeated id (as reprint scan)")
    args, scan_options = ap.parse_known_args(argv)
    return args, scan_options


# ---- reading ------------------------------------------------------------------------------


def scalar(value):
    """A JSON value as reprint reads an id, source, date or title: text as is, numbers and
    booleans printed, null missing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)):
        return str(value) if not isinstance(value, str) else value
    raise ValueError("an object or array where text is expected")


def parse_line(raw, first):
    """One input line (`first`: the file's first, which may open with a byte order mark):
    ("doc", dict, named) / ("blank",) / ("empty", named) / ("bad", message). An unnamed
    document's id is filled in with its place once line numbers are known."""
    if first and raw.startswith("\ufeff"):
        raw = raw[1:]
    if not raw.strip():
        return ("blank",)
    try:
        obj = json.loads(raw)
    except ValueError as e:
        return ("bad", f"malformed JSON: {e.msg} at column {e.colno}")
    if not isinstance(obj, dict):
        return ("bad", "not a JSON object")
    try:
        text = obj.get("text")
        if not isinstance(text, str):
            return ("bad", "missing text field `text`")
        doc_id = scalar(obj.get("id"))
        source = scalar(obj["series"]) if obj.get("series") is not None else scalar(obj.get("source"))
        doc = {
            "id": doc_id,
            "text": text,
            "source": source,
            "date": scalar(obj.get("date")),
            "title": scalar(obj.get("title")),
        }
    except ValueError as e:
        return ("bad", str(e))
    if not text.strip():
        return ("empty", bool(doc_id))
    return ("doc", doc, bool(doc_id))


def partition_summary(parsed):
    """A partition's counts: lines, documents, blank texts, malformed lines (count and the first
    20 as (line, message)), and unnamed lines (count and the first), lines counted from 0."""
    lines = docs = empty = bad = unnamed = 0
    shown, first_unnamed = [], None
    for k, r in parsed:
        lines += 1
        if r[0] == "doc":
            docs += 1
        elif r[0] == "empty":
            empty += 1
        elif r[0] == "bad":
            bad += 1
            if len(shown) < 20:
                shown.append((k, r[1]))
        if r[0] in ("doc", "empty") and not r[-1]:
            unnamed += 1
            first_unnamed = k if first_unnamed is None else first_unnamed
    return lines, docs, empty, bad, shown, unnamed, first_unnamed


def read_corpus(sc, inputs, partitions):
    """The documents as (n, doc) in input order (not yet computed) and the reading problems:
    every line is parsed once, into a cache, and counted in one pass; lines are numbered from
    the counts of the partitions before."""
    rdds = [sc.textFile(path, minPartitions=partitions or None) for path in inputs]
    place = [(path, i) for path, rdd in zip(inputs, rdds) for i in range(rdd.getNumPartitions())]
    parsed = sc.union(
        [rdd.mapPartitionsWithIndex(lambda i, it: ((k, parse_line(raw, i == 0 and k == 0)) for k, raw in enumerate(it))) for rdd in rdds]
    ).cache()
    summaries = dict(parsed.mapPartitionsWithIndex(lambda g, it: [(g, partition_summary(it))]).collect())
    line_at, doc_at = [], []
    lines_before, docs_before = {}, 0
    for g, (path, _) in enumerate(place):
        lines, docs, *_ = summaries.get(g, (0, 0))
        line_at.append(lines_before.get(path, 0) + 1)
        lines_before[path] = lines_before.get(path, 0) + lines
        doc_at.append(docs_before)
        docs_before += docs
    shown, bad, empty, unnamed = [], 0, 0, {}
    for g, (path, _) in enumerate(place):
        if g not in summaries:
            continue
        _, _, e, b, s, u, first = summaries[g]
        bad, empty = bad + b, empty + e
        shown.extend(f"{path}:{line_at[g] + k}: {m}" for k, m in s)
        if u:
            count, at = unnamed.get(path, (0, line_at[g] + first))
            unnamed[path] = (count + u, at)

    def number(g, items):
        n = doc_at[g]
        for k, r in items:
            if r[0] == "doc":
                doc = r[1]
                if not r[2]:
                    doc = {**doc, "id": f"{place[g][0]}:{line_at[g] + k}"}
                yield n, doc
                n += 1

    docs = parsed.mapPartitionsWithIndex(number)
    return docs, (bad, shown[:20]), empty, sorted(unnamed.items()), parsed


# ---- running reprint on executors ------------------------------------------------------------

# Frame tags of `reprint part keys|group` (src/part/shuffle.rs).
POSTINGS, COUNTS, FACTS, WANTED = 0, 1, 2, 3


def start_reprint(args, chunks):
    """Starts the shipped reprint with `args`, feeding it `chunks` (bytes) on stdin from a
    thread; returns the process and a function that waits for it and raises on failure."""
    binary = SparkFiles.get(BINARY)
    if not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    proc = subprocess.Popen([binary, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failure = []
    # stderr is drained as it comes, so that a chatty task cannot block on a full pipe.
    err = []
    drain = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    drain.start()

    def feed():
        try:
            for chunk in chunks:
                proc.stdin.write(chunk)
        except BrokenPipeError:
            pass
        except Exception as e:  # noqa: BLE001 - reported below
            failure.append(e)
        finally:
            try:
                proc.stdin.close()
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()

    def finish():
        writer.join()
        drain.join()
        message = b"".join(err).decode("utf-8", "replace").strip()
        if proc.wait() != 0 or failure:
            raise RuntimeError(f"reprint {' '.join(args[:2])} failed ({proc.returncode}): {message} {failure}")

    return proc, finish


def run_reprint(args, lines):
    """Runs the shipped reprint with `args` on `lines` (strings without newline) and yields its
    output lines."""
    proc, finish = start_reprint(args, (line.encode("utf-8") + b"\n" for line in lines))
    for out in proc.stdout:
        yield out.decode("utf-8").rstrip("\n")
    finish()


def run_frames(args, chunks):
    """Runs the shipped reprint with `args` on `chunks` (bytes) and yields the frames it writes
    as (tag, key, payload)."""
    proc, finish = start_reprint(args, chunks)
    read = proc.stdout.read
    while True:
        head = read(13)
        if not head:
            break
        if len(head) < 13:
            raise RuntimeError(f"reprint {' '.join(args[:2])}: output cut inside a frame")
        tag, key, size = struct.unpack("<BQI", head)
        payload = read(size)
        if len(payload) < size:
            raise RuntimeError(f"reprint {' '.join(args[:2])}: output cut inside a frame")
        yield tag, key, payload
    finish()


def doc_line(n, doc):
    return json.dumps(
        {"n": n, "id": doc["id"], "text": doc["text"], "source": doc["source"], "date": doc["date"], "title": doc["title"]},
        ensure_ascii=False,
    )


# ---- the stages ------------------------------------------------------------------------------


def renumbered(line, n):
    """A document's line with its number changed to `n`."""
    doc = json.loads(line)
    return doc_line(n, doc)


def duplicate_ids(ids, parts):
    """(id, [numbers]) of every id held by more than one document, from (number, id)."""
    return (
        ids.map(lambda x: (x[1], x[0]))
        .groupByKey(parts)
        .filter(lambda x: len(x[1]) > 1)
        .map(lambda x: (x[0], sorted(x[1])))
    )


def doc_postings(lines, scan_args, reducers):
    """Step 2: every document's band keys and anchors, from reprint on the executors, as frames:
    a postings blob per batch of documents and reducer, and each batch's counts."""
    args = ["part", "keys", "--reducers", str(reducers), *scan_args]
    return lines.mapPartitions(lambda it: run_frames(args, (line.encode("utf-8") + b"\n" for _, line in it)))


def batch_counts(frames):
    """The counts of every batch, summed: documents without words, bytes, and the documents of
    each source as {hash: (name, documents)} (two names with one hash are an error)."""
    wordless, size, sources = 0, 0, {}
    for payload in frames.filter(lambda f: f[0] == COUNTS).map(lambda f: f[2]).collect():
        counts = json.loads(payload)
        wordless += counts["wordless"]
        size += counts["bytes"]
        for name, hash_, docs in counts["sources"]:
            known, total = sources.get(hash_, (name, 0))
            if known != name:
                raise RuntimeError(f"sources {known!r} and {name!r} share a hash; rename one")
            sources[hash_] = (name, total + docs)
    return wordless, size, sources


def group_keys(frames, reducers, group_args, sources_name):
    """Step 3: each reducer's postings grouped by reprint (with the sources' sizes in the file
    Spark serves as `sources_name`): the facts of each (frequent anchors, boilerplate, oversized
    buckets) and the wanted (member, block) pairs as (route, bytes)."""

    def blobs(items):
        for _, blob in items:
            yield struct.pack("<I", len(blob))
            yield blob

    grouped = (
        frames.filter(lambda f: f[0] == POSTINGS)
        .map(lambda f: (f[1], f[2]))
        .partitionBy(reducers, lambda r: r)
        .mapPartitions(lambda it: run_frames([*group_args, "--sources", SparkFiles.get(sources_name)], blobs(it)))
        .cache()
    )
    facts = grouped.filter(lambda f: f[0] == FACTS).map(lambda f: json.loads(f[2])).collect()
    wanted = grouped.filter(lambda f: f[0] == WANTED).map(lambda f: (f[1], f[2]))
    return facts, wanted


def merge_facts(facts, sources):
    """The reducers' facts as the whole corpus's: frequent anchors sorted, boilerplate as
    sorted (source name, anchor), and the count and largest size of distinct oversized buckets."""
    frequent = sorted(h for f in facts for h in f["frequent"])
    boilerplate = sorted((sources[s][0], h) for f in facts for s, h in f["boilerplate"])
    oversized = {(a, b): size for f in facts for a, b, size in f["oversized"]}
    return frequent, boilerplate, len(oversized), max(oversized.values(), default=0)


def route_docs(lines, wanted, routes, block):
    """Each document sent to its own block and to every block that wants it, as
    (block, (n, line)): the wanted pairs meet their documents in routes (number modulo routes)."""

    def route(items):
        blocks = {}
        docs = []
        for _, value in items:
            if isinstance(value, bytes):
                pairs = array("Q")
                pairs.frombytes(value)
                if sys.byteorder == "big":
                    pairs.byteswap()
                for i in range(0, len(pairs), 2):
                    blocks.setdefault(pairs[i], []).append(pairs[i + 1])
            else:
                docs.append(value)
        # Reducers want a document each for their own keys: each block gets it once.
        for n, line in docs:
            own = n // block
            yield own, (n, line)
            for b in set(blocks.get(n, ())):
                if b != own:
                    yield b, (n, line)

    keyed = lines.map(lambda x: (x[0] % routes, x))
    return wanted.union(keyed).partitionBy(routes, lambda q: q).mapPartitions(route)


def block_lines(b, members, block):
    """A block's lines for `reprint part scan`: its header, then its part's documents in order."""
    lo, hi = b * block, (b + 1) * block
    first = next(i for i, (n, _) in enumerate(members) if n >= lo)
    end = next((i for i, (n, _) in enumerate(members) if n >= hi), len(members))
    yield json.dumps({"first_new": first, "end_new": end, "docs": len(members)})
    for _, line in members:
        yield line


def scan_blocks(routed, parts, block, scan_args, facts_name):
    """Step 4: every block's part scanned where it meets; its pairs as (a, b, jaccard,
    containment, words, near, record) and its counts."""
    args = ["part", "scan", *scan_args]

    def scan_partition(items):
        items = sorted(items, key=lambda x: (x[0], x[1][0]))
        lines = (
            line
            for b, members in itertools.groupby(items, key=lambda x: x[0])
            for line in block_lines(b, [m for _, m in members], block)
        )
        yield from run_reprint([*args, "--whole", SparkFiles.get(facts_name)], lines)

    found = routed.partitionBy(parts, lambda b: b).mapPartitions(scan_partition).cache()
    stats = found.filter(lambda l: l.startswith("#stats\t")).map(lambda l: json.loads(l[7:])).collect()
    pairs = (
        found.filter(lambda l: not l.startswith("#"))
        .map(lambda l: l.split("\t", 6))
        .map(lambda f: (int(f[0]), int(f[1]), float(f[2]), float(f[3]), int(f[4]), f[5] == "1", f[6]))
    )
    names = ("candidates", "aligned_pairs", "passages", "unquoted_dropped", "part_documents")
    totals = {k: sum(s.get(k, 0) for s in stats) for k in names}
    totals["blocks"] = len(stats)
    return pairs, totals


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


def record_json(value):
    """A record as serde_json writes it (no spaces, non-ASCII as is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def clusters_of(ids, pairs, parts):
    """Step 5: clusters numbered from 0 in input order of their first member, as (id, members)
    pairs; each member's cluster; and the `cluster` records in order."""
    labels = components(pairs.filter(lambda p: p[5]).map(lambda p: (p[0], p[1])), parts)
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
        .map(lambda x: record_json({"type": "cluster", "id": x[0], "size": len(x[1]), "members": x[1]}))
    )
    return numbered, cluster_of, records


def pair_records(pairs, cluster_of, parts):
    """The `pair` records, strongest first as the scan sorts them, their cluster filled in (only
    near-duplicate pairs join their cluster: the others' records never travel to the join)."""

    def placed(item):
        (a, b, jaccard, containment, words, near, record), cluster = item
        if near:
            record = record.replace('"cluster":null', f'"cluster":{cluster}', 1)
        return (-jaccard, -containment, -words, a, b), record

    near = pairs.filter(lambda p: p[5]).map(lambda p: (p[0], p)).join(cluster_of, parts).values()
    others = pairs.filter(lambda p: not p[5]).map(lambda p: (p, None))
    # Cached: sortByKey samples its input in a job of its own before it sorts it.
    keyed = near.union(others).map(placed).cache()
    return keyed.sortByKey(numPartitions=parts).values()


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
    """Documents per block when not given: two blocks per partition, so that both halves of each
    core's share keep it busy, but at least 2,000 (a block's own documents should outnumber the
    earlier ones it is sent) and at most 100,000 (a part is scanned in one task's memory)."""
    return min(max(-(-documents // (2 * parts)), 2000), 100_000)


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
    """`run`, keeping its files in `facts_dir`."""
    parts = args.partitions or sc.defaultParallelism
    reprint = os.path.abspath(args.reprint)

    def settings_for(documents):
        return subprocess.run([reprint, "part", "settings", "--documents", str(documents), *scan_options], capture_output=True, text=True)

    check = settings_for(1)
    if check.returncode != 0:
        print(check.stderr.strip(), file=sys.stderr)
        return 2
    sc.addFile(reprint)
    # Functions of this module travel by name when it is imported (tests, notebooks): ship it.
    sc.addPyFile(os.path.abspath(__file__))
    scan_args = [*scan_options, "--threads", str(args.task_threads)]

    # 1. reading
    docs, bad, empty, unnamed, parsed = read_corpus(sc, args.inputs, args.partitions)
    bad_count, bad_shown = bad
    if bad_count and not args.skip_bad_lines:
        return fail([f"{m} (use --skip-bad-lines to skip such lines)" for m in bad_shown])
    for m in bad_shown:
        print(f"reprint: warning: {m}; line skipped", file=sys.stderr)
    if bad_count > len(bad_shown):
        print(f"reprint: warning: {bad_count - len(bad_shown)} more malformed lines skipped", file=sys.stderr)
    # Each document's line for reprint, made once; its id apart for the checks and the clusters.
    rows = docs.map(lambda x: (x[0], x[1]["id"], doc_line(x[0], x[1]))).cache()
    ids = rows.map(lambda r: (r[0], r[1])).cache()
    dups = duplicate_ids(ids, parts).cache()
    dropped = dups.map(lambda x: len(x[1]) - 1).sum() if not dups.isEmpty() else 0
    parsed.unpersist()
    if dropped and not args.dedupe_ids:
        shown = dups.take(10)
        return fail([f'duplicate document id "{i}" (documents {ns[0]} and {ns[1]} in input order; use --dedupe-ids to keep the first)' for i, ns in shown])
    if dropped:
        later = set(dups.flatMap(lambda x: x[1][1:]).collect())
        print(f"reprint: warning: {dropped} documents repeating an earlier id dropped", file=sys.stderr)
        kept = rows.filter(lambda r: r[0] not in later).zipWithIndex()
        rows = kept.map(lambda x: (x[1], x[0][1], renumbered(x[0][2], x[1]))).cache()
        ids = rows.map(lambda r: (r[0], r[1])).cache()
    n_docs = ids.count()
    if n_docs == 0:
        return fail([f"no documents found in {', '.join(args.inputs)}"])
    for path, (count, first) in unnamed:
        print(
            f'reprint: warning: {path}:{first}: {count} JSON lines had no "id" field (or an empty one): their '
            f"documents are named after their place (file:line), the first at {path}:{first}",
            file=sys.stderr,
        )
    lines = rows.map(lambda r: (r[0], r[2]))
    block = auto_block(n_docs, parts) if args.block <= 0 else args.block

    # 2 and 3. postings, grouped by reducers; the counts of sources first (the boilerplate rule
    # needs each source's size).
    frames = doc_postings(lines, scan_args, parts).cache()
    wordless, n_bytes, sources = batch_counts(frames)
    sources_name = f"sources-{uuid.uuid4().hex}.json"
    sources_path = os.path.join(facts_dir, sources_name)
    with open(sources_path, "w", encoding="utf-8") as f:
        json.dump(sorted((h, docs) for h, (_, docs) in sources.items()), f)
    sc.addFile(sources_path)
    group_args = ["part", "group", *scan_options, "--documents", str(n_docs), "--block", str(block), "--routes", str(parts)]
    facts, wanted = group_keys(frames, parts, group_args, sources_name)
    frequent, boilerplate, oversized, largest = merge_facts(facts, sources)
    routed = route_docs(lines, wanted, parts, block)

    # 4. blocks, with the facts about the whole in a file shipped to the executors (one name per
    # job: a context may run several, and Spark keeps a name's first content).
    facts_name = f"whole-{uuid.uuid4().hex}.json"
    facts_path = os.path.join(facts_dir, facts_name)
    with open(facts_path, "w", encoding="utf-8") as f:
        json.dump({"documents": n_docs, "frequent": frequent, "boilerplate": boilerplate}, f, ensure_ascii=False)
    sc.addFile(facts_path)
    pairs, block_totals = scan_blocks(routed, parts, block, scan_args, facts_name)
    pairs = pairs.cache()

    # 5. clusters and order
    numbered, cluster_of, clusters = clusters_of(ids, pairs, parts)
    ordered = pair_records(pairs, cluster_of, parts).cache()
    n_pairs, n_clusters = ordered.count(), numbered.count()
    counts = {
        "documents": n_docs,
        "sources": len(sources),
        "bytes": n_bytes,
        "pairs": n_pairs,
        "clusters": n_clusters,
        "clustered_documents": numbered.map(lambda x: len(x[1])).sum() if n_clusters else 0,
        "oversized_buckets": oversized,
        "largest_bucket": largest,
        "documents_without_words": wordless,
        "empty_skipped": empty,
        "bad_lines_skipped": bad_count,
        "duplicate_ids_dropped": dropped,
        "input_problems": len(unnamed) + bad_count + dropped,
        "pairs_with_passages": pairs.filter(lambda p: p[4] > 0).count(),
        "frequent_anchors": len(frequent),
        "boilerplate_anchors": len(boilerplate),
        "blocks": block_totals,
    }
    summary = subprocess.run(
        [reprint, "part", "summary", *scan_options], input=json.dumps(counts), check=True, capture_output=True, text=True
    ).stdout.rstrip("\n")
    sc.parallelize([summary], 1).union(ordered).union(clusters).saveAsTextFile(args.out)
    print(
        f"reprint: {n_docs} documents ({block_totals['part_documents']} sent to {block_totals['blocks']} blocks): "
        f"{n_pairs} pairs, {n_clusters} clusters written to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
