"""reprint scan on a Spark cluster.

    spark-submit spark/reprint_spark.py --reprint target/release/reprint --out OUT INPUT.jsonl... [scan options]

Reads JSON Lines (any path Spark reads: local, HDFS, S3 through the cluster's connectors) and
writes the records of `reprint scan --format jsonl` into OUT as text part files: read in order
(`cat OUT/part-*`), they are the single-machine output, byte for byte. The reprint binary is
shipped to the executors by Spark (`SparkContext.addFile`); it must run there (build it for the
executors' platform). Scan options (`--threshold`, `--shingle`, `--ocr`, ...) are reprint's own and
passed through to it. The stages (see `src/part.rs`):

1. read and number the documents in input order;
2. `reprint part keys` per partition: each document's LSH band keys and anchors;
3. group by band key and by anchor: oversized buckets, frequent anchors (held by more than
   max_df documents) and each source's boilerplate are counted over the whole corpus; each
   document's *block* (documents numbered block*B .. block*B+B-1) gets every member of its
   documents' buckets and every holder of their anchors that are not frequent;
4. `reprint part scan` per block: the pairs whose later document is in the block, with their
   passages, as a single-machine scan finds them;
5. near-duplicate pairs joined into clusters (connected components by label propagation,
   distributed), pairs sorted as the scan sorts them, cluster numbers filled in.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import uuid

from pyspark import SparkConf, SparkContext, SparkFiles

BINARY = "reprint"


def parse_args(argv):
    ap = argparse.ArgumentParser(
        description="reprint scan on a Spark cluster; unknown options go to reprint itself",
    )
    ap.add_argument("inputs", nargs="+", help="JSON Lines files (id, text; series/source, date, title)")
    ap.add_argument("--out", required=True, help="output directory (must not exist)")
    ap.add_argument("--reprint", required=True, help="the reprint binary to ship to the executors")
    ap.add_argument("--block", type=int, default=2000, help="documents per block (step 4)")
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


def parse_line(path, line_no, raw):
    """One input line: ("doc", dict) / ("blank",) / ("empty", where) / ("bad", message)."""
    where = f"{path}:{line_no}"
    if raw.startswith("\ufeff") and line_no == 1:
        raw = raw[1:]
    if not raw.strip():
        return ("blank",)
    try:
        obj = json.loads(raw)
    except ValueError as e:
        return ("bad", f"{where}: malformed JSON: {e.msg} at column {e.colno}")
    if not isinstance(obj, dict):
        return ("bad", f"{where}: not a JSON object")
    try:
        text = obj.get("text")
        if not isinstance(text, str):
            return ("bad", f"{where}: missing text field `text`")
        doc_id = scalar(obj.get("id"))
        source = scalar(obj["series"]) if obj.get("series") is not None else scalar(obj.get("source"))
        doc = {
            "id": doc_id if doc_id else where,
            "named": bool(doc_id),
            "text": text,
            "source": source,
            "date": scalar(obj.get("date")),
            "title": scalar(obj.get("title")),
        }
    except ValueError as e:
        return ("bad", f"{where}: {e}")
    if not text.strip():
        return ("empty", where, bool(doc_id))
    return ("doc", doc)


def read_corpus(sc, inputs, partitions):
    """(n, doc) in input order, plus the reading problems."""
    rdds = []
    for path in inputs:
        lines = sc.textFile(path, minPartitions=partitions or None).zipWithIndex()
        rdds.append(lines.map(lambda x, p=path: parse_line(p, x[1] + 1, x[0])))
    parsed = sc.union(rdds).cache()
    bad = parsed.filter(lambda r: r[0] == "bad").map(lambda r: r[1])
    bad = (bad.count(), bad.take(20))
    empty = parsed.filter(lambda r: r[0] == "empty").count()
    docs = parsed.filter(lambda r: r[0] == "doc").map(lambda r: r[1]).zipWithIndex().map(lambda x: (x[1], x[0]))
    # Lines without an id (blank texts included), per file: count and first place, as the CLI
    # warns about them.
    unnamed = (
        parsed.filter(lambda r: (r[0] == "doc" and not r[1]["named"]) or (r[0] == "empty" and not r[2]))
        .map(lambda r: r[1]["id"] if r[0] == "doc" else r[1])
        .map(lambda where: (where.rsplit(":", 1)[0], (1, int(where.rsplit(":", 1)[1]))))
        .reduceByKey(lambda a, b: (a[0] + b[0], min(a[1], b[1])))
        .collect()
    )
    return docs, bad, empty, sorted(unnamed)


# ---- running reprint on executors ------------------------------------------------------------


def run_reprint(args, lines):
    """Runs the shipped reprint with `args`, feeding it `lines` (strings without newline) on
    stdin from a thread, and yields its output lines."""
    binary = SparkFiles.get(BINARY)
    if not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    proc = subprocess.Popen([binary, *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    failure = []

    def feed():
        try:
            for line in lines:
                proc.stdin.write(line.encode("utf-8"))
                proc.stdin.write(b"\n")
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
    for out in proc.stdout:
        yield out.decode("utf-8").rstrip("\n")
    writer.join()
    err = proc.stderr.read().decode("utf-8", "replace")
    if proc.wait() != 0 or failure:
        raise RuntimeError(f"reprint {' '.join(args[:2])} failed ({proc.returncode}): {err.strip()} {failure}")


def doc_line(n, doc):
    return json.dumps(
        {"n": n, "id": doc["id"], "text": doc["text"], "source": doc["source"], "date": doc["date"], "title": doc["title"]},
        ensure_ascii=False,
    )


# ---- the stages ------------------------------------------------------------------------------


def duplicate_ids(docs, parts):
    """(id, [numbers]) of every id held by more than one document."""
    return (
        docs.map(lambda x: (x[1]["id"], x[0]))
        .groupByKey(parts)
        .filter(lambda x: len(x[1]) > 1)
        .map(lambda x: (x[0], sorted(x[1])))
    )


def doc_keys(docs, scan_args):
    """Step 2: (n, band keys, anchors) of every document, from reprint on the executors."""
    args = ["part", "keys", *scan_args]
    lines = docs.mapPartitions(lambda it: run_reprint(args, (doc_line(n, d) for n, d in it)))
    return lines.map(json.loads).map(lambda k: (k["n"], k["bands"], k["anchors"]))


def blocks_of(members, block):
    """(block, member) for every block a member is in: each needs all of `members`."""
    blocks = {m // block for m in members}
    return [(b, m) for b in blocks for m in members]


def group_buckets(keys, parts, max_bucket, block):
    """Step 3, bands: the documents each block needs for its buckets to be whole, the number of
    oversized buckets (distinct member lists) and the largest one's size."""
    buckets = (
        keys.flatMap(lambda k: [((band, key), k[0]) for band, key in enumerate(k[1])])
        .groupByKey(parts)
        .map(lambda x: sorted(x[1]))
        .filter(lambda m: len(m) > 1)
        .cache()
    )
    oversized = buckets.filter(lambda m: len(m) > max_bucket).map(tuple).distinct().map(len).cache()
    count = oversized.count()
    largest = oversized.max() if count else 0
    return buckets.flatMap(lambda m: blocks_of(m, block)), count, largest


def group_anchors(keys, parts, max_df, block):
    """Step 3, anchors: the documents each block needs for its anchors, and the anchors held by
    more than `max_df` documents (left out, as a scan leaves them out)."""
    holders = keys.flatMap(lambda k: [(h, k[0]) for h in k[2]]).groupByKey(parts).mapValues(sorted).cache()
    frequent = sorted(holders.filter(lambda x: len(x[1]) > max_df).keys().collect())
    wanted = holders.filter(lambda x: 1 < len(x[1]) <= max_df).flatMap(lambda x: blocks_of(x[1], block))
    return wanted, frequent


def find_boilerplate(docs, keys, parts, settings):
    """Step 3, sources: each source's document count, and its boilerplate (source, anchor): held
    by at least `boilerplate_min_docs` of its documents and `boilerplate_share` of them."""
    min_docs, share = settings["boilerplate_min_docs"], settings["boilerplate_share"]
    source_of = docs.map(lambda x: (x[0], x[1]["source"])).filter(lambda x: x[1] is not None)
    source_docs = dict(source_of.map(lambda x: (x[1], 1)).reduceByKey(lambda a, b: a + b).collect())
    if not settings["passages"] or all(c < min_docs for c in source_docs.values()):
        return [], source_docs
    found = (
        keys.map(lambda k: (k[0], k[2]))
        .join(source_of, parts)
        .flatMap(lambda x: [((x[1][1], h), 1) for h in x[1][0]])
        .reduceByKey(lambda a, b: a + b, parts)
        .filter(lambda x: x[1] >= min_docs and x[1] >= share * source_docs[x[0][0]])
        .keys()
        .collect()
    )
    return sorted(found), source_docs


def block_lines(item, block):
    """A block's lines for `reprint part scan`: its header, then its part's documents in order."""
    b, members = item
    members = sorted(members, key=lambda x: x[0])
    lo, hi = b * block, (b + 1) * block
    first = next(i for i, (n, _) in enumerate(members) if n >= lo)
    end = next((i for i, (n, _) in enumerate(members) if n >= hi), len(members))
    yield json.dumps({"first_new": first, "end_new": end, "docs": len(members)})
    for n, d in members:
        yield doc_line(n, d)


def scan_blocks(docs, wanted, parts, block, scan_args, facts_name):
    """Step 4: every block's part gathered where it is scanned; its pairs as (a, b, jaccard,
    containment, words, near, record) and its counts."""
    args = ["part", "scan", *scan_args]

    def scan_partition(items):
        lines = (line for item in items for line in block_lines(item, block))
        yield from run_reprint([*args, "--whole", SparkFiles.get(facts_name)], lines)

    found = (
        wanted.map(lambda x: (x[1], x[0]))
        .join(docs, parts)
        .map(lambda x: (x[1][0], (x[0], x[1][1])))
        .groupByKey(parts)
        .mapPartitions(scan_partition)
        .cache()
    )
    stats = found.filter(lambda l: l.startswith("#stats\t")).map(lambda l: json.loads(l[7:])).collect()
    pairs = (
        found.filter(lambda l: not l.startswith("#"))
        .map(lambda l: l.split("\t", 6))
        .map(lambda f: (int(f[0]), int(f[1]), float(f[2]), float(f[3]), int(f[4]), f[5] == "1", f[6]))
    )
    totals = {k: sum(s.get(k, 0) for s in stats) for k in ("candidates", "aligned_pairs", "passages", "unquoted_dropped")}
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


def clusters_of(docs, pairs, parts):
    """Step 5: clusters numbered from 0 in input order of their first member, as (id, members)
    pairs; each member's cluster; and the `cluster` records in order."""
    labels = components(pairs.filter(lambda p: p[5]).map(lambda p: (p[0], p[1])), parts)
    groups = labels.map(lambda x: (x[1], x[0])).groupByKey(parts).map(lambda x: (x[0], sorted(x[1])))
    numbered = groups.sortByKey(numPartitions=parts).zipWithIndex().map(lambda x: (x[1], x[0][1])).cache()
    cluster_of = numbered.flatMap(lambda x: [(m, x[0]) for m in x[1]])
    ids = docs.map(lambda x: (x[0], x[1]["id"]))
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
    """The `pair` records, strongest first as the scan sorts them, their cluster filled in."""

    def placed(item):
        (a, b, jaccard, containment, words, near, record), cluster = item
        if near:
            record = record.replace('"cluster":null', f'"cluster":{cluster}', 1)
        return (-jaccard, -containment, -words, a, b), record

    return (
        pairs.map(lambda p: (p[0], p))
        .leftOuterJoin(cluster_of, parts)
        .map(lambda x: placed(x[1]))
        .sortByKey(numPartitions=parts)
        .values()
    )


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
    block = max(1, args.block)

    # 1. reading
    docs, bad, empty, unnamed = read_corpus(sc, args.inputs, args.partitions)
    bad_count, bad_shown = bad
    if bad_count and not args.skip_bad_lines:
        return fail([f"{m} (use --skip-bad-lines to skip such lines)" for m in bad_shown])
    for m in bad_shown:
        print(f"reprint: warning: {m}; line skipped", file=sys.stderr)
    if bad_count > len(bad_shown):
        print(f"reprint: warning: {bad_count - len(bad_shown)} more malformed lines skipped", file=sys.stderr)
    docs = docs.cache()
    dups = duplicate_ids(docs, parts).cache()
    dropped = dups.map(lambda x: len(x[1]) - 1).sum() if not dups.isEmpty() else 0
    if dropped and not args.dedupe_ids:
        shown = dups.take(10)
        return fail([f'duplicate document id "{i}" (documents {ns[0]} and {ns[1]} in input order; use --dedupe-ids to keep the first)' for i, ns in shown])
    if dropped:
        later = set(dups.flatMap(lambda x: x[1][1:]).collect())
        print(f"reprint: warning: {dropped} documents repeating an earlier id dropped", file=sys.stderr)
        docs = docs.filter(lambda x: x[0] not in later).map(lambda x: x[1]).zipWithIndex().map(lambda x: (x[1], x[0])).cache()
    n_docs = docs.count()
    if n_docs == 0:
        return fail([f"no documents found in {', '.join(args.inputs)}"])
    for path, (count, first) in unnamed:
        print(
            f'reprint: warning: {path}:{first}: {count} JSON lines had no "id" field (or an empty one): their '
            f"documents are named after their place (file:line), the first at {path}:{first}",
            file=sys.stderr,
        )
    settings = json.loads(settings_for(n_docs).stdout)

    # 2 and 3. keys, grouped
    keys = doc_keys(docs, scan_args).cache()
    by_bands, oversized, largest = group_buckets(keys, parts, settings["max_bucket"], block)
    by_anchors, frequent = group_anchors(keys, parts, settings["max_df_docs"], block)
    own = docs.keys().map(lambda n: (n // block, n))
    wanted = by_bands.union(by_anchors).union(own).distinct(parts)
    boilerplate, source_docs = find_boilerplate(docs, keys, parts, settings)

    # 4. blocks, with the facts about the whole in a file shipped to the executors (one name per
    # job: a context may run several, and Spark keeps a name's first content).
    facts_name = f"whole-{uuid.uuid4().hex}.json"
    facts_path = os.path.join(facts_dir, facts_name)
    with open(facts_path, "w", encoding="utf-8") as f:
        json.dump({"documents": n_docs, "frequent": frequent, "boilerplate": boilerplate}, f, ensure_ascii=False)
    sc.addFile(facts_path)
    pairs, block_totals = scan_blocks(docs, wanted, parts, block, scan_args, facts_name)
    pairs = pairs.cache()

    # 5. clusters and order
    numbered, cluster_of, clusters = clusters_of(docs, pairs, parts)
    ordered = pair_records(pairs, cluster_of, parts).cache()
    n_pairs, n_clusters = ordered.count(), numbered.count()
    counts = {
        "documents": n_docs,
        "sources": len(source_docs),
        "bytes": docs.map(lambda x: len(x[1]["text"].encode("utf-8"))).sum(),
        "pairs": n_pairs,
        "clusters": n_clusters,
        "clustered_documents": numbered.map(lambda x: len(x[1])).sum() if n_clusters else 0,
        "oversized_buckets": oversized,
        "largest_bucket": largest,
        "documents_without_words": keys.filter(lambda k: not k[1]).count(),
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
    print(f"reprint: {n_docs} documents: {n_pairs} pairs, {n_clusters} clusters written to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
