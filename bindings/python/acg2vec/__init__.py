"""acg2vec for Python: tag, score and embed anime illustrations and search the vectors, through
the C library's ABI with ctypes (no compiled extension).

    import acg2vec
    with acg2vec.Tagger("wd-vit-tagger-v3.pt", general_threshold=0.35) as tagger:
        print(tagger.tag("image.png").caption())

The library is found through $ACG2VEC_LIBRARY, beside this package, or on the system's library
path. Every object holding a C handle has close() and works as a context manager; the garbage
collector frees what is left. Failures raise acg2vec.Error with .status, .code and .message.
docs/python.md has the whole API.
"""
import ctypes

from . import _native
from ._native import Error, Status
from .images import Base64, Image
from .index import (DuplicateGroup, DuplicateMember, Index, SearchHit, SyncEvent, SyncReport, find_duplicates,
                    index_key, list_image_files, sync_folder)
from .models import Analyzer, Embedder, Model, Scorer, Tagger, compare_vectors
from .results import Analysis, ClassScore, HeadScore, Outcome, ScoreResult, Similarity, TagResult, ZeroShotLabel
from .text import ClipTokenizer, WordPieceTokenizer

__all__ = [
    "Analysis", "Analyzer", "Base64", "ClassScore", "ClipTokenizer", "DuplicateGroup", "DuplicateMember", "Embedder",
    "Error", "HeadScore", "Image", "Index", "Model", "Outcome", "Scorer", "ScoreResult", "SearchHit", "Similarity",
    "Status", "SyncEvent", "SyncReport", "TagResult", "Tagger", "WordPieceTokenizer", "ZeroShotLabel",
    "abi_version", "compare_vectors", "find_duplicates", "index_key", "keep_freed_memory_for_reuse",
    "list_image_files", "sync_folder", "version",
]


def version():
    """The loaded C library's version, "MAJOR.MINOR.PATCH"."""
    return _native.decoded(_native.lib.acg2vec_version())


def abi_version():
    return _native.lib.acg2vec_abi_version()


def keep_freed_memory_for_reuse(max_block_bytes=0):
    """Lets the C allocator keep freed blocks for reuse (about four times faster image batches
    through conv nets); process-wide, so call it once at start-up. True when applied."""
    return bool(_native.lib.acg2vec_keep_freed_memory_for_reuse(ctypes.c_size_t(max_block_bytes)))
