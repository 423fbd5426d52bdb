"""The HNSW index with string keys, folder sync and duplicate groups."""
import ctypes
from dataclasses import dataclass
from typing import List

from . import _capi, _native
from ._handle import Handle
from ._options import fill

lib = _native.lib
_ACTIONS = {v: k[len("ACG2VEC_SYNC_"):].lower() for k, v in _capi.ENUMS["acg2vec_sync_action"].items()}


@dataclass
class SearchHit:
    key: str
    distance: float  # smaller is closer
    score: float     # larger is closer: the cosine for cosine indexes


@dataclass
class SyncEvent:
    action: str        # added, updated, renamed, removed, unchanged, failed
    key: str
    previous_key: str  # renamed: the key it had
    reused: bool       # the vector of a file with the same bytes
    error: object      # failed: an Error naming the file and the reason; else None


@dataclass
class SyncReport:
    added: int
    updated: int
    renamed: int
    removed: int
    unchanged: int
    failed: int
    model_runs: int


@dataclass
class DuplicateMember:
    key: str
    content: str     # fingerprint of the file's bytes ("" when unknown)
    identical: bool  # another member has the same bytes
    nearest: str
    score: float


@dataclass
class DuplicateGroup:
    identical: bool  # every member has the same bytes
    members: List[DuplicateMember]


def _index_options(options, init="acg2vec_index_options_init"):
    return fill("acg2vec_index_options", init, options)


def _expectations(embedder, expected):
    """Index options from an Embedder's index_options() and/or keywords."""
    options = dict(embedder.index_options()) if embedder is not None else {}
    options.update(expected)
    return options


class Index(Handle):
    """Vectors under string keys, searched with HNSW; safe to search while adding.

    Index.create(dimension=..., metric="cosine", M, ef_construction, ef_search,
    initial_capacity, seed, model_name, model_fingerprint) or Index.create(embedder=e) for the
    vectors of an Embedder; Index.load(path, embedder=e) checks the file was made with it.
    """

    _free_function = "acg2vec_index_free"

    @classmethod
    def create(cls, embedder=None, **options):
        c_options = _index_options(_expectations(embedder, options))
        return cls(_native.out_handle(lib.acg2vec_index_create, ctypes.byref(c_options)))

    @classmethod
    def load(cls, path, embedder=None, **expected):
        """Validates the whole file; with an embedder (or dimension / model_name / ...), also that
        it holds that model's vectors."""
        c_options = _index_options(_expectations(embedder, expected)) if embedder or expected else None
        return cls(_native.out_handle(lib.acg2vec_index_load, _native.path(path),
                                      ctypes.byref(c_options) if c_options is not None else None))

    def save(self, path):
        """Atomic: a temporary file renamed over path."""
        _native.check(lib.acg2vec_index_save(self._handle, _native.path(path)))

    def add(self, key, vector, categories=()):
        """A new key (Error INVALID_ARGUMENT if it is there)."""
        data, size = _native.float_array(vector)
        names, count = _native.text_array(categories)
        _native.check(lib.acg2vec_index_add(self._handle, _native.text(key), data, size, names, count))

    def add_batch(self, keys, vectors, categories=None):
        """Many keys at once, all checked before any is added. vectors: one row per key."""
        keys = list(keys)
        key_array, key_count = _native.text_array(keys)
        data, floats = _native.float_array(vectors, what="vectors")
        lists = per_key = None
        if categories is not None:
            categories = [_native.text_array(c) for c in categories]
            if len(categories) != key_count:
                raise ValueError(f"{len(categories)} category lists for {key_count} keys")
            per_key = (ctypes.POINTER(ctypes.c_char_p) * max(1, key_count))(*[a for a, _ in categories])
            lists = (ctypes.c_size_t * max(1, key_count))(*[n for _, n in categories])
        _native.check(lib.acg2vec_index_add_batch(self._handle, key_array, key_count, data, floats, per_key, lists))

    def update(self, key, vector, categories=()):
        """An existing key (Error NOT_FOUND otherwise)."""
        data, size = _native.float_array(vector)
        names, count = _native.text_array(categories)
        _native.check(lib.acg2vec_index_update(self._handle, _native.text(key), data, size, names, count))

    def remove(self, key):
        """True when the key was there."""
        removed = ctypes.c_int()
        _native.check(lib.acg2vec_index_remove(self._handle, _native.text(key), ctypes.byref(removed)))
        return bool(removed.value)

    def __contains__(self, key):
        contains = ctypes.c_int()
        _native.check(lib.acg2vec_index_contains(self._handle, _native.text(key), ctypes.byref(contains)))
        return bool(contains.value)

    def __len__(self):
        size = ctypes.c_size_t()
        _native.check(lib.acg2vec_index_size(self._handle, ctypes.byref(size)))
        return size.value

    def get(self, key):
        """The stored vector (normalised for cosine); Error NOT_FOUND for an absent key."""
        return _native.take_vector(_native.out_handle(lib.acg2vec_index_get, self._handle, _native.text(key)))

    def categories(self, key):
        return _native.take_strings(_native.out_handle(lib.acg2vec_index_categories, self._handle,
                                                       _native.text(key)))

    def keys(self):
        return _native.take_strings(_native.out_handle(lib.acg2vec_index_keys, self._handle))

    @property
    def info(self):
        """dimension, metric, size, capacity, removed_slots, model_name, model_fingerprint."""
        handle = _native.out_handle(lib.acg2vec_index_get_info, self._handle)
        try:
            dimension, metric, size, capacity, removed = (ctypes.c_size_t(), ctypes.c_int(), ctypes.c_size_t(),
                                                          ctypes.c_size_t(), ctypes.c_size_t())
            _native.check(lib.acg2vec_index_info_get(handle, *(ctypes.byref(v) for v in (dimension, metric, size,
                                                                                         capacity, removed))))
            name, fingerprint = ctypes.c_char_p(), ctypes.c_char_p()
            _native.check(lib.acg2vec_index_info_model(handle, ctypes.byref(name), ctypes.byref(fingerprint)))
            return {"dimension": dimension.value, "metric": _native.decoded(lib.acg2vec_metric_name(metric.value)),
                    "size": size.value, "capacity": capacity.value, "removed_slots": removed.value,
                    "model_name": _native.decoded(name.value), "model_fingerprint": _native.decoded(fingerprint.value)}
        finally:
            lib.acg2vec_index_info_free(handle)

    def export_vectors(self, directory):
        """Writes vectors.npy, keys.jsonl and vectors.fvecs into directory."""
        _native.check(lib.acg2vec_index_export_vectors(self._handle, _native.path(directory)))

    def search(self, query, k=10, ef=0, categories=None, accept=None):
        """Up to k SearchHits, nearest first. categories: only items with one of them; accept: a
        function of the key deciding which keys may be returned."""
        data, size = _native.float_array(query, what="query")
        with _Filter(categories, accept) as c_filter:
            handle = _native.out_handle(lib.acg2vec_index_search, self._handle, data, size, k, ef, c_filter.pointer)
        return _take_hits(handle)

    def exact_search(self, query, k=10, categories=None, accept=None):
        """Brute force over every key: exact, for checking recall."""
        data, size = _native.float_array(query, what="query")
        with _Filter(categories, accept) as c_filter:
            handle = _native.out_handle(lib.acg2vec_index_exact_search, self._handle, data, size, k, c_filter.pointer)
        return _take_hits(handle)

    def search_batch(self, queries, k=10, ef=0, categories=None, accept=None):
        """SearchHits for each of several queries (rows of the same dimension)."""
        rows = [list(q) for q in queries] if _native.numpy is None else _native.numpy.asarray(queries, "float32")
        count = len(rows)
        dimension = len(rows[0]) if count else 0
        data, _ = _native.float_array(rows, expected=count * dimension, what="queries")
        with _Filter(categories, accept) as c_filter:
            handle = _native.out_handle(lib.acg2vec_index_search_batch, self._handle, data, count, dimension, k, ef,
                                        c_filter.pointer)
        try:
            n = ctypes.c_size_t()
            _native.check(lib.acg2vec_search_batch_count(handle, ctypes.byref(n)))
            hits = []
            for i in range(n.value):
                result = ctypes.c_void_p()
                _native.check(lib.acg2vec_search_batch_get(handle, i, ctypes.byref(result)))
                hits.append(_read_hits(result.value))
            return hits
        finally:
            lib.acg2vec_search_batch_free(handle)


class _Filter:
    """An acg2vec_search_filter for one call; an exception in `accept` is raised after it."""

    def __init__(self, categories, accept):
        self.errors = _native.CallbackErrors()
        self.pointer = None
        if categories is None and accept is None:
            return
        self.struct = _capi.struct("acg2vec_search_filter")()
        _native.check(lib.acg2vec_search_filter_init(ctypes.byref(self.struct)))
        if categories:
            self.struct.any_category, self.struct.category_count = _native.text_array(categories)
        if accept is not None:
            guarded = self.errors.guard(lambda key, _: 1 if accept(_native.decoded(key)) else 0, 0)
            self.function = _capi.callback("acg2vec_key_filter")(guarded)
            self.struct.accept = self.function
        self.pointer = ctypes.byref(self.struct)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, *rest):
        if exc_type is None:
            self.errors.raise_any()


def _read_hits(handle):
    return [SearchHit(*hit) for hit in _native.items(lib.acg2vec_search_result_count, lib.acg2vec_search_result_get,
                                                     handle, ctypes.c_char_p, ctypes.c_float, ctypes.c_float)]


def _take_hits(handle):
    try:
        return _read_hits(handle)
    finally:
        lib.acg2vec_search_result_free(handle)


def find_duplicates(index, min_score=None, neighbours=None):
    """Groups of byte-identical copies first, then near-duplicates (search score at least
    min_score), the most similar first."""
    options = fill("acg2vec_duplicate_options", "acg2vec_duplicate_options_init",
                   {"min_score": min_score, "neighbours": neighbours})
    handle = _native.out_handle(lib.acg2vec_find_duplicates, index._handle, ctypes.byref(options))
    try:
        count = ctypes.c_size_t()
        _native.check(lib.acg2vec_duplicates_count(handle, ctypes.byref(count)))
        groups = []
        for g in range(count.value):
            identical, members = ctypes.c_int(), ctypes.c_size_t()
            _native.check(lib.acg2vec_duplicates_group(handle, g, ctypes.byref(identical), ctypes.byref(members)))
            group = DuplicateGroup(bool(identical.value), [])
            for m in range(members.value):
                key, content, nearest = ctypes.c_char_p(), ctypes.c_char_p(), ctypes.c_char_p()
                same, score = ctypes.c_int(), ctypes.c_float()
                _native.check(lib.acg2vec_duplicates_member(handle, g, m, ctypes.byref(key), ctypes.byref(content),
                                                            ctypes.byref(same), ctypes.byref(nearest),
                                                            ctypes.byref(score)))
                group.members.append(DuplicateMember(_native.decoded(key.value), _native.decoded(content.value),
                                                     bool(same.value), _native.decoded(nearest.value), score.value))
            groups.append(group)
        return groups
    finally:
        lib.acg2vec_duplicates_free(handle)


def sync_folder(index, analyzer, inputs, root=".", remove_missing=True, save_path=None, save_every=None,
                images_per_call=None, on_event=None, on_progress=None):
    """Makes the index follow the image files under inputs (folders recursively): new files
    added, changed ones updated, renamed ones keep their vector, deleted ones removed. on_event
    gets a SyncEvent per file, on_progress (done, total). Returns a SyncReport."""
    options = fill("acg2vec_sync_options", "acg2vec_sync_options_init",
                   {"root": str(root), "remove_missing": remove_missing,
                    "save_path": None if save_path is None else str(save_path), "save_every": save_every,
                    "images_per_call": images_per_call})
    errors = _native.CallbackErrors()
    if on_event is not None:
        def event(c_event, _):
            e = c_event.contents
            error = _native.Error(e.status, _native.decoded(e.message)) if e.status != 0 else None
            on_event(SyncEvent(_ACTIONS[e.action], _native.decoded(e.key), _native.decoded(e.previous_key),
                               bool(e.reused), error))
        options.on_event = _capi.callback("acg2vec_sync_event_callback")(errors.guard(event))
    if on_progress is not None:
        options.on_progress = _capi.callback("acg2vec_sync_progress_callback")(
            errors.guard(lambda done, total, _: on_progress(done, total)))
    paths, count = _native.text_array([str(i) for i in inputs])
    report = _capi.struct("acg2vec_sync_report")()
    _native.check(lib.acg2vec_sync_folder(index._handle, analyzer._handle, paths, count, ctypes.byref(options),
                                          ctypes.byref(report)))
    errors.raise_any()
    return SyncReport(**{name: getattr(report, name) for name, _ in report._fields_})


def list_image_files(inputs):
    """The image files folder sync would see under inputs, sorted."""
    paths, count = _native.text_array([str(i) for i in inputs])
    return _native.take_strings(_native.out_handle(lib.acg2vec_list_image_files, paths, count))


def index_key(path, root="."):
    """The key folder sync gives path under root."""
    return _native.owned_string(lib.acg2vec_index_key, _native.text(str(path)), _native.text(str(root)))


