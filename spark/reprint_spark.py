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
        return ("bad", f"{where}: malformed JSON: {e}")
    if not isinstance(obj, dict):
        return ("bad", f"{where}: not a JSON object")
    try:
        text = obj.get("text")
        if not isinstance(text, str):
            return ("bad", f"{where}: no text field")
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
    bad = parsed.filter(lambda r: r[0] == "bad").map(lambda r: r[1]).take(20)
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


# ---- the job ---------------------------------------------------------------------------------


def components(sc, edges, partitions):
    """Connected components of `edges` (pairs of numbers): (vertex, smallest vertex of its
    component), by label propagation, never collected."""
    adj = edges.flatMap(lambda e: [(e[0], e[1]), (e[1], e[0])]).partitionBy(partitions).cache()
    labels = adj.map(lambda x: (x[0], min(x[0], x[1]))).reduceByKey(min, partitions).cache()
    while True:
        moved = labels.join(adj).map(lambda x: (x[1][1], x[1][0])).union(labels).reduceByKey(min, partitions).cache()
        changed = moved.join(labels).filter(lambda x: x[1][0] != x[1][1]).count()
        labels.unpersist()
        labels = moved
        if changed == 0:
            return labels


def record_json(value):
    """A record as serde_json writes it (no spaces, non-ASCII as is)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


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


def run(sc, args, scan_options):
    parts = args.partitions or sc.defaultParallelism
    reprint = os.path.abspath(args.reprint)
    check = subprocess.run([reprint, "part", "settings", "--documents", "1", *scan_options], capture_output=True, text=True)
    if check.returncode != 0:
        print(check.stderr.strip(), file=sys.stderr)
        return 2
    sc.addFile(reprint)
    threads = ["--threads", str(args.task_threads)]

    docs, bad, empty, unnamed = read_corpus(sc, args.inputs, args.partitions)
    if bad:
        for message in bad:
            print(f"reprint: error: {message}", file=sys.stderr)
        return 2
    docs = docs.cache()
    n_docs = docs.count()
    if n_docs == 0:
        print(f"reprint: error: no documents found in {', '.join(args.inputs)}", file=sys.stderr)
        return 2
    dups = (
        docs.map(lambda x: (x[1]["id"], x[0]))
        .groupByKey(parts)
        .filter(lambda x: len(x[1]) > 1)
        .map(lambda x: (x[0], sorted(x[1])))
        .take(10)
    )
    if dups:
        for doc_id, ns in dups:
            print(f'reprint: error: duplicate document id "{doc_id}" (documents {ns[0]} and {ns[1]} in input order)', file=sys.stderr)
        return 2
    for path, (count, first) in unnamed:
        print(
            f'reprint: warning: {path}:{first}: {count} JSON lines had no "id" field (or an empty one): their '
            f"documents are named after their place (file:line), the first at {path}:{first}",
            file=sys.stderr,
        )
    settings = json.loads(
        subprocess.run([reprint, "part", "settings", "--documents", str(n_docs), *scan_options], check=True, capture_output=True, text=True).stdout
    )
    block = max(1, args.block)

    # 2. keys
    keys_args = ["part", "keys", *scan_options, *threads]
    keys = (
        docs.mapPartitions(lambda it: (json.loads(line) for line in run_reprint(keys_args, (doc_line(n, d) for n, d in it))))
        .map(lambda k: (k["n"], k["bands"], k["anchors"]))
        .cache()
    )

    # 3. buckets: oversized ones counted; every member goes to every block of a member.
    max_bucket = settings["max_bucket"]
    buckets = (
        keys.flatMap(lambda k: [((band, key), k[0]) for band, key in enumerate(k[1])])
        .groupByKey(parts)
        .map(lambda x: sorted(x[1]))
        .filter(lambda m: len(m) > 1)
        .cache()
    )
    oversized = buckets.filter(lambda m: len(m) > max_bucket).map(tuple).distinct()
    oversized_count = oversized.count()
    largest = oversized.map(len).max() if oversized_count else 0

    def to_blocks(members):
        blocks = {m // block for m in members}
        return [(b, m) for b in blocks for m in members]

    wanted = buckets.flatMap(to_blocks)

    # anchors: frequent ones counted and left out; the others bring their holders.
    max_df = settings["max_df_docs"]
    holders = keys.flatMap(lambda k: [(h, k[0]) for h in k[2]]).groupByKey(parts).mapValues(sorted).cache()
    frequent = holders.filter(lambda x: len(x[1]) > max_df).keys().collect()
    wanted = wanted.union(holders.filter(lambda x: 1 < len(x[1]) <= max_df).flatMap(lambda x: to_blocks(x[1])))
    wanted = wanted.union(docs.keys().map(lambda n: (n // block, n))).distinct(parts)

    # boilerplate: per source, anchors held by at least min_docs documents and share of them.
    min_docs, share = settings["boilerplate_min_docs"], settings["boilerplate_share"]
    source_of = docs.map(lambda x: (x[0], x[1]["source"])).filter(lambda x: x[1] is not None)
    source_docs = dict(source_of.map(lambda x: (x[1], 1)).reduceByKey(lambda a, b: a + b).collect())
    boilerplate = []
    if settings["passages"] and any(c >= min_docs for c in source_docs.values()):
        boilerplate = (
            keys.map(lambda k: (k[0], k[2]))
            .join(source_of)
            .flatMap(lambda x: [((x[1][1], h), 1) for h in x[1][0]])
            .reduceByKey(lambda a, b: a + b, parts)
            .filter(lambda x: x[1] >= min_docs and x[1] >= share * source_docs[x[0][0]])
            .keys()
            .collect()
        )
        boilerplate.sort()
    facts_dir = tempfile.mkdtemp(prefix="reprint-spark-")
    facts_path = os.path.join(facts_dir, "whole.json")
    with open(facts_path, "w", encoding="utf-8") as f:
        json.dump({"documents": n_docs, "frequent": sorted(frequent), "boilerplate": boilerplate}, f, ensure_ascii=False)
    sc.addFile(facts_path)

    # 4. blocks
    def block_lines(item):
        b, members = item
        members = sorted(members, key=lambda x: x[0])
        lo, hi = b * block, (b + 1) * block
        first = next(i for i, (n, _) in enumerate(members) if n >= lo)
        end = next((i for i, (n, _) in enumerate(members) if n >= hi), len(members))
        yield json.dumps({"first_new": first, "end_new": end, "docs": len(members)})
        for n, d in members:
            yield doc_line(n, d)

    scan_args = ["part", "scan", *scan_options, *threads]

    def scan_partition(items):
        lines = (line for item in items for line in block_lines(item))
        yield from run_reprint([*scan_args, "--whole", SparkFiles.get("whole.json")], lines)

    found = (
        wanted.map(lambda x: (x[1], x[0]))
        .join(docs, parts)
        .map(lambda x: (x[1][0], (x[0], x[1][1])))
        .groupByKey(parts)
        .mapPartitions(scan_partition)
        .cache()
    )
    block_stats = found.filter(lambda l: l.startswith("#stats\t")).map(lambda l: json.loads(l[7:])).collect()
    pairs = found.filter(lambda l: not l.startswith("#")).map(lambda l: l.split("\t", 6)).map(
        lambda f: (int(f[0]), int(f[1]), float(f[2]), float(f[3]), int(f[4]), f[5] == "1", f[6])
    ).cache()

    # 5. clusters
    edges = pairs.filter(lambda p: p[5]).map(lambda p: (p[0], p[1]))
    labels = components(sc, edges, parts)
    ids = docs.map(lambda x: (x[0], x[1]["id"]))
    comps = labels.map(lambda x: (x[1], x[0])).groupByKey(parts).map(lambda x: (x[0], sorted(x[1])))
    numbered = comps.sortByKey(numPartitions=parts).zipWithIndex().map(lambda x: (x[0][0], (x[1], x[0][1]))).cache()
    cluster_of = numbered.flatMap(lambda x: [(m, x[1][0]) for m in x[1][1]])
    clusters = (
        numbered.flatMap(lambda x: [(m, (x[1][0], i)) for i, m in enumerate(x[1][1])])
        .join(ids)
        .map(lambda x: (x[1][0][0], (x[1][0][1], x[1][1])))
        .groupByKey(parts)
        .map(lambda x: (x[0], [name for _, name in sorted(x[1])]))
        .sortByKey(numPartitions=parts)
        .map(lambda x: record_json({"type": "cluster", "id": x[0], "size": len(x[1]), "members": x[1]}))
    )

    def with_cluster(p):
        a, b, jaccard, containment, words, near, record = p[0]
        cluster = p[1]
        if near:
            record = record.replace('"cluster":null', f'"cluster":{cluster}', 1)
        return (-jaccard, -containment, -words, a, b), record

    keyed = pairs.map(lambda p: (p[0], p))
    sorted_pairs = (
        keyed.leftOuterJoin(cluster_of, parts)
        .map(lambda x: with_cluster(x[1]))
        .sortByKey(numPartitions=parts)
        .values()
        .cache()
    )

    n_pairs = sorted_pairs.count()
    n_clusters = numbered.count()
    counts = {
        "documents": n_docs,
        "sources": len(source_docs),
        "bytes": docs.map(lambda x: len(x[1]["text"].encode("utf-8"))).sum(),
        "pairs": n_pairs,
        "clusters": n_clusters,
        "clustered_documents": numbered.map(lambda x: len(x[1][1])).sum() if n_clusters else 0,
        "oversized_buckets": oversized_count,
        "largest_bucket": largest,
        "documents_without_words": keys.filter(lambda k: not k[1]).count(),
        "empty_skipped": empty,
        "input_problems": len(unnamed),
        "pairs_with_passages": pairs.filter(lambda p: p[4] > 0).count(),
        "frequent_anchors": len(frequent),
        "boilerplate_anchors": len(boilerplate),
        "blocks": {k: sum(s.get(k, 0) for s in block_stats) for k in ("candidates", "aligned_pairs", "passages", "unquoted_dropped")},
    }
    summary = subprocess.run(
        [reprint, "part", "summary", *scan_options], input=json.dumps(counts), check=True, capture_output=True, text=True
    ).stdout.rstrip("\n")
    out = sc.parallelize([summary], 1).union(sorted_pairs).union(clusters)
    out.saveAsTextFile(args.out)
    print(
        f"reprint: {n_docs} documents: {n_pairs} pairs, {n_clusters} clusters written to {args.out}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
