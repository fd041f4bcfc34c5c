"""What runs on the executors of the Spark job (spark/reprint_spark.py): the shipped reprint
started on a task's input, its output read back as one string, as lines or as frames.

Imported on a worker when the first task that needs it is unpickled; importing it there also
keeps pyspark's per-task import-cache reset cheap (`keep_zip_directories`)."""

import os
import struct
import subprocess
import sys
import threading
import zipimport

from pyspark import SparkFiles


def keep_zip_directories():
    """Before every task, pyspark's worker calls `importlib.invalidate_caches()`. On Python
    3.10 to 3.12 that reads again the directory of every zip archive on the path, once per
    package imported from it (pyspark.zip and py4j's: CPython gh-103200, fixed in 3.13; Spark
    4.1 calls it less, SPARK-54744): measured here, most of a short task's CPU, about 0.2 s a
    task. A worker's archives do not change while it runs (Spark never changes a file it has
    shipped; a new one comes at a new path, which gets a new importer), so on a worker zip
    archives keep their directories, as 3.13 keeps them until they are next read."""
    if (3, 10) <= sys.version_info < (3, 13) and getattr(SparkFiles, "_is_running_on_worker", False):
        zipimport.zipimporter.invalidate_caches = lambda self: None


keep_zip_directories()


# Frame tags of `reprint part keys|group` (src/part/shuffle.rs).
POSTINGS, COUNTS, FACTS, WANTED = 0, 1, 2, 3


def start_reprint(args, chunks):
    """Starts the shipped reprint with `args` (the first: the binary's name, as Spark ships
    it), feeding it `chunks` (bytes) on stdin from a
    thread; returns the process and a function that waits for it and raises on failure."""
    binary = SparkFiles.get(args[0])
    if not os.access(binary, os.X_OK):
        os.chmod(binary, 0o755)
    proc = subprocess.Popen([binary, *args[1:]], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
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
            raise RuntimeError(f"reprint {' '.join(args[1:3])} failed ({proc.returncode}): {message} {failure}")

    return proc, finish


def run_output(args, lines):
    """Runs the shipped reprint with `args` on `lines` (strings without newline) and returns
    its whole output as one string."""
    proc, finish = start_reprint(args, (line.encode("utf-8") + b"\n" for line in lines))
    out = proc.stdout.read()
    finish()
    return out.decode("utf-8")


def run_lines(args, lines):
    """Runs the shipped reprint with `args` on `lines` (strings without newline) and yields its
    output lines as bytes, without their newline."""
    proc, finish = start_reprint(args, (line.encode("utf-8") + b"\n" for line in lines))
    for out in proc.stdout:
        yield out[:-1] if out.endswith(b"\n") else out
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
            raise RuntimeError(f"reprint {' '.join(args[1:3])}: output cut inside a frame")
        tag, key, size = struct.unpack("<BQI", head)
        payload = read(size)
        if len(payload) < size:
            raise RuntimeError(f"reprint {' '.join(args[1:3])}: output cut inside a frame")
        yield tag, key, payload
    finish()
