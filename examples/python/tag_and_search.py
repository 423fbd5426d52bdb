#!/usr/bin/env python3
"""Tags every image of a folder, builds a cosine index of their vectors, saves and reloads it,
then searches it by the folder's first image and by a text: the flow of examples/cpp, with the
same output, through the Python package (bindings/python).

Usage: tag_and_search.py TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH
"""
import os
import sys

import acg2vec

QUERY_TEXT = "a girl with long hair"


def print_hits(hits):
    for rank, hit in enumerate(hits, 1):
        print(f"  {rank}. {hit.key} (distance {hit.distance:.6f})")


def main(tagger_path, embedder_path, folder, index_path):
    images = acg2vec.list_image_files([folder])  # what `acg2vec index build` would see, sorted
    if not images:
        print(f"error: no images in {folder}", file=sys.stderr)
        return 1

    # 1. Tags: the rating and a caption per image, in one batch (a bad file would fail alone).
    with acg2vec.Tagger(tagger_path) as tagger:
        for outcome in tagger.tag_batch(images):
            if outcome.ok:
                print(f"{outcome.input} [{outcome.result.rating}] {outcome.result.caption()}")
            else:
                print(f"skipped: {outcome.error.message}", file=sys.stderr)

    # 2. An index of the image vectors keyed by file name, saved and loaded again; loading with
    # the embedder checks the file holds this model's vectors.
    with acg2vec.Embedder(embedder_path) as embedder:
        with acg2vec.Index.create(embedder=embedder) as index:
            for outcome in embedder.embed_batch(images):
                if outcome.ok:
                    index.add(os.path.basename(outcome.input), outcome.result)
            index.save(index_path)
        with acg2vec.Index.load(index_path, embedder=embedder) as loaded:
            print(f"index {index_path}: {len(loaded)} images, {embedder.dimensions} dimensions")

            # 3. Searches: by an image (its own key comes first) and by a text.
            print(f"search by image {os.path.basename(images[0])}:")
            print_hits(loaded.search(embedder.embed(images[0]), k=3))
            print(f"search by text \"{QUERY_TEXT}\":")
            print_hits(loaded.search(embedder.embed_text(QUERY_TEXT), k=3))
    print("done")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 5:
        print(f"usage: {sys.argv[0]} TAGGER_MODEL EMBEDDER_MODEL IMAGE_FOLDER INDEX_PATH", file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(*sys.argv[1:]))
    except acg2vec.Error as e:
        print(f"error ({e.code}): {e.message}", file=sys.stderr)
        sys.exit(1)
