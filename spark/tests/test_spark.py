"""The Spark job gives reprint scan's records, byte for byte: under local[2] and on a standalone
cluster of a master and two workers on 127.0.0.1, with several partition and block counts, and
when a worker is killed in the middle of a job.

Needs pyspark and Java 17; REPRINT_BIN names the reprint binary (default: target/debug/reprint).
"""

import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "spark"))
import reprint_spark  # noqa: E402

BIN = os.environ.get("REPRINT_BIN", str(ROOT / "target" / "debug" / "reprint"))
SPARK_HOME = Path(__import__("pyspark").__file__).parent


def scan(corpus, *options):
    """reprint scan's JSON Lines on one machine."""
    return subprocess.run([BIN, "scan", "-q", "--format", "jsonl", *options, str(corpus)], check=True, capture_output=True).stdout


def job_output(out):
    """The job's part files, read in order."""
    return b"".join(p.read_bytes() for p in sorted(Path(out).glob("part-*")))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """400 synthetic articles with planted copies, passages, boilerplate and quotes."""
    d = tmp_path_factory.mktemp("corpus")
    subprocess.run([BIN, "synth", "--docs", "400", "--seed", "11", "--out", str(d / "synth")], check=True, capture_output=True)
    return d / "synth" / "corpus.jsonl"


@pytest.fixture(scope="module")
def local_sc():
    from pyspark import SparkConf, SparkContext

    sc = SparkContext.getOrCreate(SparkConf().setMaster("local[2]").setAppName("reprint tests"))
    sc.setLogLevel("ERROR")
    yield sc
    sc.stop()


def run_job(sc, out, corpus, *options, block=2000, partitions=0):
    args, scan_options = reprint_spark.parse_args(
        ["--reprint", BIN, "--out", str(out), "--block", str(block), "--partitions", str(partitions), str(corpus), *options]
    )
    return reprint_spark.run(sc, args, scan_options)


@pytest.mark.parametrize("partitions,block,cell", [(1, 5000, -1), (5, 64, -1), (5, 64, 0), (3, 50, 30), (2, 0, -1)])
def test_local_job_equals_the_scan(local_sc, corpus, tmp_path, capsys, partitions, block, cell):
    # Blocks scan the documents that share only anchors with them in passage cells (cells of
    # the block's size by default, one per block with 0, or narrower than a block).
    options = ["--cell", str(cell)] if cell >= 0 else []
    assert run_job(local_sc, tmp_path / "out", corpus, *options, block=block, partitions=partitions) == 0
    got = job_output(tmp_path / "out")
    assert got == scan(corpus)
    assert got.count(b'"type":"pair"') > 50 and b'"type":"cluster"' in got and b'"passages":[{' in got
    blocks, cells = map(int, re.search(r"(\d+) blocks and (\d+) cells", capsys.readouterr().err).groups())
    if block == 5000 or block == 0:
        assert (blocks, cells) == (1, 0)
    else:
        assert blocks == -(-400 // block) and cells >= blocks - 1, (blocks, cells)


def test_local_job_equals_the_scan_with_other_options(local_sc, corpus, tmp_path):
    # OCR letters, buckets too small to expand (oversized buckets counted the scan's way),
    # boilerplate passages shown, containment.
    # Containment: its samples grouped and routed as anchors are.
    options_list = [
        ["--ocr"],
        ["--max-bucket", "2", "--show-boilerplate"],
        ["--no-passages", "--threshold", "0.3"],
        ["--containment", "0.5"],
        ["--containment", "0.3", "--no-passages"],
    ]
    for i, options in enumerate(options_list):
        out = tmp_path / f"out{i}"
        assert run_job(local_sc, out, corpus, *options, block=100, partitions=3) == 0
        assert job_output(out) == scan(corpus, *options), options


def test_containment_samples_frequent_in_the_whole_are_left_out_of_every_block(local_sc, tmp_path):
    # 1,100 documents carry one 60-word paragraph: its samples are held by more documents than
    # the scan's cap (1,000), so the scan leaves them out; a block holds fewer, and must be told.
    # One short document sits inside a longer one.
    rng = random.Random(5)
    vocab = [f"w{i}" for i in range(20000)]
    boiler = " ".join(rng.choice(vocab) for _ in range(60))
    docs = []
    for i in range(1100):
        own = " ".join(rng.choice(vocab) for _ in range(80))
        docs.append({"id": f"d{i}", "source": f"s{i % 7}", "text": f"{own} {boiler}" if i % 2 else f"{boiler} {own}"})
    docs.append({"id": "inside", "source": "s1", "text": docs[10]["text"].split(" ", 40)[-1]})
    corpus = tmp_path / "shared.jsonl"
    corpus.write_text("".join(json.dumps(d) + "\n" for d in docs))
    want = scan(corpus, "--containment", "0.5")
    assert b'"pairs":1,' in want
    out = tmp_path / "out"
    assert run_job(local_sc, out, corpus, "--containment", "0.5", block=300, partitions=3) == 0
    assert job_output(out) == want


@pytest.mark.parametrize("texts", ["files", "spark"])
def test_texts_read_by_the_tasks_or_sent_through_spark_give_the_scan(local_sc, corpus, tmp_path, texts):
    # Two inputs cut into byte ranges (partitions 5: several ranges a file), one with documents
    # without ids (named FILE:LINE), a blank line and CRLF line ends; clusters joined on the
    # executors (--driver-clusters 0) as well as on the driver, one block and several.
    lines = corpus.read_text(encoding="utf-8").splitlines()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(lines[:150]) + "\n", encoding="utf-8")
    unnamed = [l.replace('"id":', '"was":', 1) if i % 7 == 0 else l for i, l in enumerate(lines[150:])]
    second.write_bytes(("\r\n".join(unnamed[:40] + [""] + unnamed[40:]) + "\r\n").encode("utf-8"))
    want = subprocess.run([BIN, "scan", "-q", "--format", "jsonl", str(first), str(second)], check=True, capture_output=True).stdout
    assert b'second.jsonl:' in want  # unnamed documents named by their place
    for i, (block, extra) in enumerate([(5000, []), (90, []), (5000, ["--driver-clusters", "0"]), (90, ["--driver-clusters", "0"])]):
        out = tmp_path / f"out{i}"
        args, scan_options = reprint_spark.parse_args(
            ["--reprint", BIN, "--out", str(out), "--block", str(block), "--partitions", "5", "--texts", texts, *extra, str(first), str(second)]
        )
        assert reprint_spark.run(local_sc, args, scan_options) == 0
        assert job_output(out) == want, (block, extra)


def test_scan_options_may_come_before_or_after_the_inputs(corpus, tmp_path, monkeypatch):
    # A reprint option's value is not an input (argparse alone took `0.5` for one); a flag
    # before an existing input or a URI takes no value.
    args, scan = reprint_spark.parse_args(
        ["--reprint", BIN, "--containment", "0.5", "--ocr", str(corpus), "--out", "o", "--threshold=0.3",
         "--block", "5", "hdfs://host/b.jsonl", "--no-passages", "--shingle", "4"]
    )
    assert args.inputs == [str(corpus), "hdfs://host/b.jsonl"]
    assert (args.out, args.block) == ("o", 5)
    assert scan == ["--containment", "0.5", "--ocr", "--threshold=0.3", "--no-passages", "--shingle", "4"]
    args, scan = reprint_spark.parse_args(["--out=o", "--reprint", BIN, str(corpus), "--containment", "0.5"])
    assert (args.inputs, scan) == ([str(corpus)], ["--containment", "0.5"])
    # reprint says which options take a value: a value that names a file is still a value, and a
    # flag before an input that does not exist yet takes no value.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "5").write_text("")
    args, scan = reprint_spark.parse_args(["--reprint", BIN, "--out", "o", "--shingle", "5", "--ocr", "later.jsonl"])
    assert (args.inputs, scan) == (["later.jsonl"], ["--shingle", "5", "--ocr"])


def test_workers_keep_zip_directories_between_tasks(local_sc, corpus, tmp_path):
    # On a worker, reprint_tasks (shipped by the job) keeps zip importers from reading their
    # archive again before each task on Python 3.10 to 3.12; in the driver it changes nothing.
    import zipimport

    assert run_job(local_sc, tmp_path / "out", corpus) == 0

    def patched(_):
        import zipimport

        import reprint_tasks  # noqa: F401 - imported for its effect, as the job's tasks import it

        return zipimport.zipimporter.invalidate_caches.__name__ == "<lambda>"

    workers = set(local_sc.parallelize(range(8), 8).map(patched).collect())
    assert workers == {(3, 10) <= sys.version_info < (3, 13)}
    assert zipimport.zipimporter.invalidate_caches.__name__ != "<lambda>"


def test_bad_input_is_an_error_naming_the_line(local_sc, tmp_path, capsys):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "one two three"}\n{"id": "b", "text": \n')
    assert run_job(local_sc, tmp_path / "out", bad) == 2
    assert f"{bad}:2: malformed JSON" in capsys.readouterr().err
    dup = tmp_path / "dup.jsonl"
    dup.write_text('{"id": "a", "text": "one two three"}\n{"id": "a", "text": "four five six"}\n')
    assert run_job(local_sc, tmp_path / "out2", dup) == 2
    assert 'duplicate document id "a"' in capsys.readouterr().err
    # A document without id is named by its place; an id equal to that name repeats it (the
    # driver hashes the place name, reprint the id: the hashes must agree).
    placed = tmp_path / "placed.jsonl"
    placed.write_text(f'{{"text": "one two three"}}\n{{"id": "{placed}:1", "text": "four five six"}}\n')
    assert run_job(local_sc, tmp_path / "out4", placed) == 2
    assert f'duplicate document id "{placed}:1"' in capsys.readouterr().err


def test_skipped_lines_and_dropped_duplicates_as_the_scan_counts_them(local_sc, corpus, tmp_path):
    # The corpus with a malformed line, a line without text and a repeated id put in.
    lines = corpus.read_text(encoding="utf-8").splitlines()
    extra = ["not json", '{"id": "no-text"}', lines[3]]
    messy = tmp_path / "messy.jsonl"
    messy.write_text("\n".join(lines[:50] + extra + lines[50:]) + "\n", encoding="utf-8")
    flags = ["--skip-bad-lines", "--dedupe-ids"]
    args, scan_options = reprint_spark.parse_args(["--reprint", BIN, "--out", str(tmp_path / "out"), "--block", "70", *flags, str(messy)])
    assert reprint_spark.run(local_sc, args, scan_options) == 0
    want = subprocess.run([BIN, "scan", "-q", "--format", "jsonl", *flags, str(messy)], capture_output=True).stdout
    got = job_output(tmp_path / "out")
    assert got == want
    assert b'"bad_lines_skipped":2,"duplicate_ids_dropped":1,"input_problems":3' in got


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid):
    """Processes whose parent is `pid`."""
    found = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(p.name))
    return found


@pytest.fixture(scope="module")
def standalone(tmp_path_factory):
    """A master and two workers (one core, 1 GB each) on 127.0.0.1; yields the master URL and the
    workers' processes."""
    work = tmp_path_factory.mktemp("cluster")
    port, ui = free_port(), free_port()
    env = {**os.environ, "SPARK_HOME": str(SPARK_HOME), "SPARK_LOCAL_IP": "127.0.0.1", "SPARK_LOG_DIR": str(work)}
    spark_class = str(SPARK_HOME / "bin" / "spark-class")
    procs = [
        subprocess.Popen(
            [spark_class, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(ui)],
            env=env, stdout=open(work / "master.log", "wb"), stderr=subprocess.STDOUT,
        )
    ]
    url = f"spark://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.5)
    workers = []
    for i in range(2):
        w = subprocess.Popen(
            [spark_class, "org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1", "--cores", "1",
             "--memory", "1g", "--webui-port", str(free_port()), "--work-dir", str(work / f"w{i}")],
            env=env, stdout=open(work / f"worker{i}.log", "wb"), stderr=subprocess.STDOUT,
        )
        workers.append(w)
    procs += workers
    time.sleep(8)
    yield url, workers, env
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait()


def submit(url, env, out, corpus, *extra):
    cmd = [str(SPARK_HOME / "bin" / "spark-submit"), "--master", url, "--executor-memory", "900m",
           str(ROOT / "spark" / "reprint_spark.py"), "--reprint", BIN, "--out", str(out), *extra, str(corpus)]
    return subprocess.Popen(cmd, env={**env, "PYSPARK_PYTHON": sys.executable}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.mark.parametrize("partitions", [3])
def test_standalone_cluster_job_equals_the_scan(standalone, corpus, tmp_path, partitions):
    url, _, env = standalone
    job = submit(url, env, tmp_path / "out", corpus, "--partitions", str(partitions), "--block", "100")
    _, err = job.communicate(timeout=600)
    assert job.returncode == 0, err.decode()[-3000:]
    assert job_output(tmp_path / "out") == scan(corpus)


def test_a_worker_killed_mid_job_changes_nothing(standalone, corpus, tmp_path):
    url, workers, env = standalone
    job = submit(url, env, tmp_path / "out", corpus, "--partitions", "6", "--block", "50")
    # Wait until both workers run an executor, let the job go on a while, then kill one worker
    # and its executor (SIGKILL: no goodbye to the master).
    victim = workers[1]
    deadline = time.time() + 120
    while time.time() < deadline and not (children(workers[0].pid) and children(victim.pid)):
        time.sleep(0.5)
    assert children(victim.pid), "the worker never started an executor"
    time.sleep(6)
    assert job.poll() is None, "the job ended before the kill: nothing was tested"
    executors = children(victim.pid)
    victim.kill()
    for pid in executors:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    _, err = job.communicate(timeout=600)
    assert job.returncode == 0, err.decode()[-3000:]
    assert job_output(tmp_path / "out") == scan(corpus)
