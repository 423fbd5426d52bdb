"""A model file and the tasks run on it: Tagger, Scorer, Embedder, Analyzer."""
import ctypes
import json

from . import _native, results
from ._handle import Handle
from ._options import fill, read
from .images import Inputs

lib = _native.lib


class Model(Handle):
    """A model file opened once; tasks created on it share it.

    Options (all optional; the library's defaults otherwise): device ("cpu", "cuda", "cuda:N",
    "auto"), threads (libtorch threads for the whole process; 0: one per core unless already
    set), batch_size, decode_threads, decode_schedule ("automatic", "overlap", "alternate"),
    precision ("fp32", "fp16", "bf16"), optimization ("none", "freeze", "full"),
    metadata_json, preprocess_json.
    """

    _free_function = "acg2vec_model_free"

    def __init__(self, path, **options):
        c_options = fill("acg2vec_model_options", "acg2vec_model_options_init", options)
        super().__init__(_native.out_handle(lib.acg2vec_model_open, _native.path(path), ctypes.byref(c_options)))

    def _string(self, function):
        value = ctypes.c_char_p()
        _native.check(function(self._handle, ctypes.byref(value)))
        return _native.decoded(value.value)

    @property
    def path(self):
        return self._string(lib.acg2vec_model_path)

    @property
    def metadata(self):
        """The model's acg2vec.json as a dict."""
        return json.loads(self._string(lib.acg2vec_model_metadata))

    @property
    def device(self):
        return self._string(lib.acg2vec_model_device)

    @property
    def fingerprint(self):
        """16 hex digits identifying the file's bytes (index files record it)."""
        return self._string(lib.acg2vec_model_fingerprint)


def _model_handle(model):
    """A task's model: a Model, or a path opened with the default options."""
    if isinstance(model, Model):
        return model, False
    return Model(model), True


def _create(task, model, function, *option_structs):
    model, opened_here = _model_handle(model)
    try:
        Handle.__init__(task, _native.out_handle(function, model._handle,
                                                 *(ctypes.byref(s) if s is not None else None for s in option_structs)))
    finally:
        if opened_here:  # the task keeps the model alive on the C side
            model.close()


def _decode_options(decode):
    return fill("acg2vec_decode_options", "acg2vec_decode_options_init", decode or {})


class _Task(Handle):
    _model_function = ""

    @property
    def model(self):
        """The model this task runs (a new handle on it)."""
        if not self._model_function:
            raise AttributeError(f"{type(self).__name__} has no model of its own; its tasks have (analyzer.tagger.model)")
        model = Model.__new__(Model)
        Handle.__init__(model, _native.out_handle(getattr(lib, self._model_function), self._handle))
        return model

    def _one(self, function, reader, free_function, image):
        with Inputs([image]) as inputs:
            handle = _native.out_handle(function, self._handle, inputs.first())
        return results.take(handle, reader, free_function)

    def _batch(self, function, kind, reader, images):
        with Inputs(images) as inputs:
            handle = _native.out_handle(function, self._handle, inputs.array, inputs.count)
        return results.take_batch(handle, kind, reader)


class Tagger(_Task):
    """WD14 / DeepDanbooru tags. model: a Model or a path. Tag options (the defaults are WD14's):
    general_threshold, character_threshold, general_mcut, character_mcut, character_mcut_floor,
    max_general, max_characters, include, exclude, drop_overlap, underscores_to_spaces,
    escape_parentheses. decode: a dict of decode options (max_pixels, apply_exif_orientation,
    jpeg_min_side)."""

    _free_function = "acg2vec_tagger_free"
    _model_function = "acg2vec_tagger_model"

    def __init__(self, model, decode=None, **tag_options):
        tags = fill("acg2vec_tag_options", "acg2vec_tag_options_init", tag_options)
        _create(self, model, lib.acg2vec_tagger_create, tags, _decode_options(decode))

    def tag(self, image):
        """TagResult of one image; raises Error naming the input when it cannot be tagged."""
        return self._one(lib.acg2vec_tagger_tag, results.read_tags, "acg2vec_tag_result_free", image)

    def tag_batch(self, images):
        """An Outcome per image in order, batch_size images per forward pass; a bad one fails alone."""
        return self._batch(lib.acg2vec_tagger_tag_batch, "tag", results.read_tags, images)

    def probabilities(self, image):
        """The model's probability for every label, in label order."""
        with Inputs([image]) as inputs:
            return _native.take_vector(_native.out_handle(lib.acg2vec_tagger_probabilities, self._handle,
                                                          inputs.first()))

    def select(self, probabilities, **tag_options):
        """Tags chosen from stored probabilities (no model run); options default to the tagger's."""
        data, size = _native.float_array(probabilities, what="probabilities")
        options = fill("acg2vec_tag_options", "acg2vec_tag_options_init", tag_options) if tag_options else None
        handle = _native.out_handle(lib.acg2vec_tagger_select, self._handle, data, size,
                                    ctypes.byref(options) if options is not None else None)
        return results.take(handle, results.read_tags, "acg2vec_tag_result_free")

    @property
    def labels(self):
        """[(name, Danbooru category number)] in output order."""
        return list(_native.items(lib.acg2vec_tagger_label_count, lib.acg2vec_tagger_label, self._handle,
                                  ctypes.c_char_p, ctypes.c_int))


class Scorer(_Task):
    """Classification heads. model: a Model or a path; top_k: entries in each head's top list."""

    _free_function = "acg2vec_scorer_free"
    _model_function = "acg2vec_scorer_model"

    def __init__(self, model, decode=None, **score_options):
        score = fill("acg2vec_score_options", "acg2vec_score_options_init", score_options)
        _create(self, model, lib.acg2vec_scorer_create, score, _decode_options(decode))

    def score(self, image):
        return self._one(lib.acg2vec_scorer_score, results.read_scores, "acg2vec_score_result_free", image)

    def score_batch(self, images):
        return self._batch(lib.acg2vec_scorer_score_batch, "score", results.read_scores, images)

    @property
    def head_names(self):
        return _native.take_strings(_native.out_handle(lib.acg2vec_scorer_head_names, self._handle))


class Embedder(_Task):
    """Image and text vectors. model: a Model or a path; normalize: L2-normalise every vector."""

    _free_function = "acg2vec_embedder_free"
    _model_function = "acg2vec_embedder_model"

    def __init__(self, model, decode=None, **embed_options):
        embed = fill("acg2vec_embed_options", "acg2vec_embed_options_init", embed_options)
        _create(self, model, lib.acg2vec_embedder_create, embed, _decode_options(decode))

    def _query(self, function, c_type):
        value = c_type()
        _native.check(function(self._handle, ctypes.byref(value)))
        return value.value

    @property
    def has_image(self):
        return bool(self._query(lib.acg2vec_embedder_has_image, ctypes.c_int))

    @property
    def has_text(self):
        return bool(self._query(lib.acg2vec_embedder_has_text, ctypes.c_int))

    @property
    def dimensions(self):
        return self._query(lib.acg2vec_embedder_dimensions, ctypes.c_size_t)

    @property
    def logit_scale(self):
        return self._query(lib.acg2vec_embedder_logit_scale, ctypes.c_double)

    def embed(self, image):
        """The image's vector (numpy float32 array when numpy is there, else a list)."""
        return self._one(lib.acg2vec_embedder_embed, _native.read_vector, "acg2vec_vector_free", image)

    def embed_batch(self, images):
        return self._batch(lib.acg2vec_embedder_embed_batch, "vector", _native.read_vector, images)

    def embed_text(self, text):
        return _native.take_vector(_native.out_handle(lib.acg2vec_embedder_embed_text, self._handle,
                                                      _native.text(text)))

    def embed_texts(self, texts):
        """One vector per text, one forward pass (a 2-d numpy array when numpy is there)."""
        array, count = _native.text_array(texts)
        handle = _native.out_handle(lib.acg2vec_embedder_embed_texts, self._handle, array, count)
        vectors = [o.result for o in results.take_batch(handle, "vector", _native.read_vector)]
        if _native.numpy is not None:
            return _native.numpy.stack(vectors) if vectors else _native.numpy.zeros((0, self.dimensions),
                                                                                     _native.numpy.float32)
        return vectors

    def similarity(self, a, b):
        """Similarity of two images, both in one forward pass."""
        out = _native._capi.struct("acg2vec_similarity")()
        with Inputs([a, b]) as inputs:
            _native.check(lib.acg2vec_embedder_similarity(self._handle, ctypes.byref(inputs.array[0]),
                                                          ctypes.byref(inputs.array[1]), ctypes.byref(out)))
        return results.Similarity(out.cosine, out.l2_distance, out.score)

    def zero_shot(self, image, labels, prompt=None):
        """Each label's probability for the image, the label put into prompt at "{}" (default
        "a picture of {}"); in label order. Needs both towers. image may also be a vector."""
        array, count = _native.text_array(labels)
        if isinstance(image, (list, tuple)) or (_native.numpy is not None
                                                and isinstance(image, _native.numpy.ndarray)
                                                and image.dtype.kind == "f"):
            data, size = _native.float_array(image)
            handle = _native.out_handle(lib.acg2vec_embedder_zero_shot_vector, self._handle, data, size, array,
                                        count, _native.text(prompt))
        else:
            with Inputs([image]) as inputs:
                handle = _native.out_handle(lib.acg2vec_embedder_zero_shot, self._handle, inputs.first(), array,
                                            count, _native.text(prompt))
        return results.take(handle, _read_zero_shot, "acg2vec_zero_shot_result_free")

    def index_options(self):
        """What an index of these vectors records: dimension, metric, model name and fingerprint."""
        options = _native._capi.struct("acg2vec_index_options")()
        _native.check(lib.acg2vec_index_options_init(ctypes.byref(options)))
        _native.check(lib.acg2vec_embedder_index_options(self._handle, ctypes.byref(options)))
        return read(options)

    def clip_tokenizer(self):
        """The model's CLIP tokenizer, or None when it has none."""
        from .text import ClipTokenizer
        return _optional_handle(ClipTokenizer, lib.acg2vec_embedder_clip_tokenizer, self._handle)

    def wordpiece_tokenizer(self):
        """The model's WordPiece tokenizer, or None when it has none."""
        from .text import WordPieceTokenizer
        return _optional_handle(WordPieceTokenizer, lib.acg2vec_embedder_wordpiece_tokenizer, self._handle)


def _optional_handle(cls, function, handle):
    """A cls around the handle function(handle) gives, or None when it answers NOT_FOUND."""
    pointer = _native.optional(function, handle)
    if pointer is None:
        return None
    wrapped = cls.__new__(cls)
    Handle.__init__(wrapped, pointer)
    return wrapped


def _read_zero_shot(handle):
    return [results.ZeroShotLabel(*label)
            for label in _native.items(lib.acg2vec_zero_shot_result_count, lib.acg2vec_zero_shot_result_get, handle,
                                       ctypes.c_char_p, ctypes.c_double, ctypes.c_double)]


def compare_vectors(a, b):
    """Similarity of two vectors of the same size."""
    out = _native._capi.struct("acg2vec_similarity")()
    (pa, na), (pb, nb) = _native.float_array(a), _native.float_array(b)
    _native.check(lib.acg2vec_compare_vectors(pa, na, pb, nb, ctypes.byref(out)))
    return results.Similarity(out.cosine, out.l2_distance, out.score)


class Analyzer(_Task):
    """Every task of a model (tags, scores, vector) from one forward pass. Options by task:
    tags={...}, scores={...}, embed={...}, decode={...}."""

    _free_function = "acg2vec_analyzer_free"

    def __init__(self, model, tags=None, scores=None, embed=None, decode=None):
        _create(self, model, lib.acg2vec_analyzer_create,
                fill("acg2vec_tag_options", "acg2vec_tag_options_init", tags or {}),
                fill("acg2vec_score_options", "acg2vec_score_options_init", scores or {}),
                fill("acg2vec_embed_options", "acg2vec_embed_options_init", embed or {}), _decode_options(decode))

    def analyze(self, image):
        return self._one(lib.acg2vec_analyzer_analyze, results.read_analysis, "acg2vec_analysis_free", image)

    def analyze_batch(self, images):
        return self._batch(lib.acg2vec_analyzer_analyze_batch, "analysis", results.read_analysis, images)

    @property
    def tagger(self):
        """The analyzer's tagger (sharing its model), or None."""
        return _optional_handle(Tagger, lib.acg2vec_analyzer_tagger, self._handle)

    @property
    def scorer(self):
        return _optional_handle(Scorer, lib.acg2vec_analyzer_scorer, self._handle)

    @property
    def embedder(self):
        return _optional_handle(Embedder, lib.acg2vec_analyzer_embedder, self._handle)
