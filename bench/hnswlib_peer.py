#!/usr/bin/python3
"""The peer of bench/index_benchmark: Debian's python3-hnswlib on the same vectors.

Usage: hnswlib_peer.py DIR M EF_CONSTRUCTION EF[,EF...] THREADS
Reads DIR/data.npy, DIR/queries.npy, DIR/truth.npy (int32 [queries, 10] row numbers) and
prints one JSON object: build seconds, RSS growth, and per ef the best of three QPS (one query
at a time, one thread) and recall@10.
"""
import json
import sys
import time

import hnswlib
import numpy as np


def rss_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def main() -> None:
    folder, m, ef_construction, efs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
    data = np.load(f"{folder}/data.npy")
    queries = np.load(f"{folder}/queries.npy")
    truth = np.load(f"{folder}/truth.npy")
    before = rss_bytes()
    index = hnswlib.Index(space="cosine", dim=data.shape[1])
    start = time.perf_counter()
    index.init_index(max_elements=data.shape[0], M=m, ef_construction=ef_construction, random_seed=100)
    index.add_items(data, np.arange(data.shape[0]), num_threads=threads)
    build = time.perf_counter() - start
    grown = rss_bytes() - before
    results = []
    # Each ef is timed three times and the best kept, as the C++ side does.
    for ef in [int(e) for e in efs.split(",")]:
        index.set_ef(ef)
        best = 0.0
        for _ in range(3):
            start = time.perf_counter()
            labels = [index.knn_query(queries[q : q + 1], k=10, num_threads=1)[0] for q in range(queries.shape[0])]
            best = max(best, queries.shape[0] / (time.perf_counter() - start))
        found = sum(len(set(labels[q][0].tolist()) & set(truth[q].tolist())) for q in range(queries.shape[0]))
        results.append({"ef": ef, "qps": best, "recall": found / truth.size})
    print(json.dumps({"build_seconds": build, "rss_growth": grown, "search": results}))


if __name__ == "__main__":
    main()
