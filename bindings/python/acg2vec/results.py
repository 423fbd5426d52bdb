"""Results as plain Python objects: read from the C result, which is freed right after."""
import ctypes
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from . import _capi, _native

_CATEGORY = _capi.ENUMS["acg2vec_tag_category"]


@dataclass
class TagResult:
    """Tags of one image: every rating, the kept characters and general tags, each a dict of
    name -> probability, most probable first."""
    rating: str
    ratings: Dict[str, float]
    characters: Dict[str, float]
    general: Dict[str, float]

    def caption(self, separator=", "):
        """Characters then general tags, joined: the training-caption form."""
        return separator.join([*self.characters, *self.general])


@dataclass
class ClassScore:
    index: int
    label: str
    probability: float


@dataclass
class HeadScore:
    """One classification head: every label's probability, the best class, the top k, and the
    expected value for heads of numeric bins (None for categorical heads)."""
    name: str
    probabilities: Dict[str, float]
    best: ClassScore
    top: List[ClassScore]
    expected_value: Optional[float]


@dataclass
class ScoreResult:
    heads: Dict[str, HeadScore]  # in the model's order

    @property
    def head(self):
        """The only head, for single-head models."""
        if len(self.heads) != 1:
            raise ValueError(f"this model has {len(self.heads)} heads: {', '.join(self.heads)}")
        return next(iter(self.heads.values()))


@dataclass
class Similarity:
    cosine: float
    l2_distance: float
    score: float  # 0-100: 100 x max(0, cosine)


@dataclass
class ZeroShotLabel:
    label: str
    probability: float
    cosine: float


@dataclass
class Analysis:
    """Every task of a model from one forward pass; None where the model lacks the task."""
    tags: Optional[TagResult]
    scores: Optional[ScoreResult]
    vector: Any


@dataclass
class Outcome:
    """One input of a batch: its result, or the error that made it fail (and it alone)."""
    input: str
    result: Any = None
    error: Optional[_native.Error] = None

    @property
    def ok(self):
        return self.error is None


def read_tags(handle):
    lib, check = _native.lib, _native.check
    by_category = []
    for category in ("ACG2VEC_TAG_RATING", "ACG2VEC_TAG_CHARACTER", "ACG2VEC_TAG_GENERAL"):
        count = ctypes.c_size_t()
        check(lib.acg2vec_tag_result_count(handle, _CATEGORY[category], ctypes.byref(count)))
        tags = {}
        for i in range(count.value):
            name, probability = ctypes.c_char_p(), ctypes.c_float()
            check(lib.acg2vec_tag_result_get(handle, _CATEGORY[category], i, ctypes.byref(name),
                                             ctypes.byref(probability)))
            tags[_native.decoded(name.value)] = probability.value
        by_category.append(tags)
    rating = ctypes.c_char_p()
    check(lib.acg2vec_tag_result_rating(handle, ctypes.byref(rating)))
    return TagResult(_native.decoded(rating.value), *by_category)


def _class_score(call, *args):
    index, label, probability = ctypes.c_size_t(), ctypes.c_char_p(), ctypes.c_float()
    _native.check(call(*args, ctypes.byref(index), ctypes.byref(label), ctypes.byref(probability)))
    return ClassScore(index.value, _native.decoded(label.value), probability.value)


def read_scores(handle):
    lib, check = _native.lib, _native.check
    head_count = ctypes.c_size_t()
    check(lib.acg2vec_score_result_head_count(handle, ctypes.byref(head_count)))
    heads = {}
    for h in range(head_count.value):
        name = ctypes.c_char_p()
        check(lib.acg2vec_score_result_head_name(handle, h, ctypes.byref(name)))
        labels = ctypes.c_size_t()
        check(lib.acg2vec_score_result_label_count(handle, h, ctypes.byref(labels)))
        probabilities = {}
        for i in range(labels.value):
            label, probability = ctypes.c_char_p(), ctypes.c_float()
            check(lib.acg2vec_score_result_label(handle, h, i, ctypes.byref(label), ctypes.byref(probability)))
            probabilities[_native.decoded(label.value)] = probability.value
        top_count = ctypes.c_size_t()
        check(lib.acg2vec_score_result_top_count(handle, h, ctypes.byref(top_count)))
        top = [_class_score(lib.acg2vec_score_result_top, handle, h, rank) for rank in range(top_count.value)]
        has_value, value = ctypes.c_int(), ctypes.c_double()
        check(lib.acg2vec_score_result_expected_value(handle, h, ctypes.byref(has_value), ctypes.byref(value)))
        heads[_native.decoded(name.value)] = HeadScore(
            _native.decoded(name.value), probabilities, _class_score(lib.acg2vec_score_result_best, handle, h), top,
            value.value if has_value.value else None)
    return ScoreResult(heads)


def read_optional(call, handle, reader):
    """A part of an analysis, or None when the model lacks that task (NOT_FOUND)."""
    part = _native.optional(call, handle)
    return None if part is None else reader(part)


def read_analysis(handle):
    lib = _native.lib
    return Analysis(read_optional(lib.acg2vec_analysis_tags, handle, read_tags),
                    read_optional(lib.acg2vec_analysis_scores, handle, read_scores),
                    read_optional(lib.acg2vec_analysis_vector, handle, _native.read_vector))


def take(handle, reader, free_function):
    """reader(handle), then the result freed."""
    try:
        return reader(handle)
    finally:
        getattr(_native.lib, free_function)(handle)


def take_batch(handle, kind, reader):
    """A batch (kind "tag", "score", "vector" or "analysis") as Outcomes, then freed."""
    lib = _native.lib
    item_function = getattr(lib, f"acg2vec_{kind}_batch_item")
    result_function = getattr(lib, f"acg2vec_{kind}_batch_result")
    try:
        count = ctypes.c_size_t()
        _native.check(getattr(lib, f"acg2vec_{kind}_batch_count")(handle, ctypes.byref(count)))
        outcomes = []
        for i in range(count.value):
            status, name, message = ctypes.c_int(), ctypes.c_char_p(), ctypes.c_char_p()
            _native.check(item_function(handle, i, ctypes.byref(status), ctypes.byref(name), ctypes.byref(message)))
            if status.value != 0:
                outcomes.append(Outcome(_native.decoded(name.value), None,
                                        _native.Error(status.value, _native.decoded(message.value))))
                continue
            result = ctypes.c_void_p()
            _native.check(result_function(handle, i, ctypes.byref(result)))
            outcomes.append(Outcome(_native.decoded(name.value), reader(result.value)))
        return outcomes
    finally:
        getattr(lib, f"acg2vec_{kind}_batch_free")(handle)
