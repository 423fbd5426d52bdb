"""The text tokenizers: CLIP's BPE and BERT's WordPiece, token for token as the references."""
import ctypes

from . import _native
from ._handle import Handle
from ._options import fill

lib = _native.lib


class ClipTokenizer(Handle):
    """CLIP's tokenizer from bpe_simple_vocab_16e6.txt.gz. Options: context_length, truncate."""

    _free_function = "acg2vec_clip_tokenizer_free"

    def __init__(self, path, **options):
        c_options = fill("acg2vec_clip_tokenizer_options", "acg2vec_clip_tokenizer_options_init", options)
        super().__init__(_native.out_handle(lib.acg2vec_clip_tokenizer_open, _native.path(path),
                                            ctypes.byref(c_options)))

    def clean(self, text):
        """The reference clean-up: ftfy fixes, HTML unescape, whitespace, lower case."""
        return _native.owned_string(lib.acg2vec_clip_tokenizer_clean, self._handle, _native.text(text))

    def pieces(self, text):
        """BPE pieces ("girl</w>"), without start/end tokens or length limit."""
        return _native.take_strings(_native.out_handle(lib.acg2vec_clip_tokenizer_pieces, self._handle,
                                                       _native.text(text)))

    def encode(self, text):
        """The pieces' ids."""
        return _native.take_ids(_native.out_handle(lib.acg2vec_clip_tokenizer_encode, self._handle,
                                                   _native.text(text)))

    def tokenize(self, text):
        """What the model takes: start, ids, end, zeros up to context_length."""
        return _native.take_ids(_native.out_handle(lib.acg2vec_clip_tokenizer_tokenize, self._handle,
                                                   _native.text(text)))

    def decode(self, ids):
        ids = list(ids)
        array = (ctypes.c_int64 * max(1, len(ids)))(*ids)
        return _native.owned_string(lib.acg2vec_clip_tokenizer_decode, self._handle, array, len(ids))

    @property
    def special_tokens(self):
        """(start_of_text, end_of_text) ids."""
        start, end = ctypes.c_int64(), ctypes.c_int64()
        _native.check(lib.acg2vec_clip_tokenizer_special_tokens(self._handle, ctypes.byref(start), ctypes.byref(end)))
        return start.value, end.value

    @property
    def vocab_size(self):
        size = ctypes.c_size_t()
        _native.check(lib.acg2vec_clip_tokenizer_vocab_size(self._handle, ctypes.byref(size)))
        return size.value


class WordPieceTokenizer(Handle):
    """BERT's tokenizer from a vocab.txt. Options: lowercase, strip_accents, split_cjk,
    max_length, max_word_chars (cased vocabularies: lowercase=False, strip_accents=False)."""

    _free_function = "acg2vec_wordpiece_tokenizer_free"

    def __init__(self, path, **options):
        c_options = fill("acg2vec_wordpiece_options", "acg2vec_wordpiece_options_init", options)
        super().__init__(_native.out_handle(lib.acg2vec_wordpiece_tokenizer_open, _native.path(path),
                                            ctypes.byref(c_options)))

    def tokenize(self, text):
        """Word pieces ("un", "##aff"), no special tokens, no length limit."""
        return _native.take_strings(_native.out_handle(lib.acg2vec_wordpiece_tokenizer_tokenize, self._handle,
                                                       _native.text(text)))

    def encode(self, text):
        """[CLS] pieces [SEP] as ids, cut to max_length."""
        return _native.take_ids(_native.out_handle(lib.acg2vec_wordpiece_tokenizer_encode, self._handle,
                                                   _native.text(text)))

    def encode_padded(self, text, length):
        """(ids padded with [PAD] to length, attention mask)."""
        ids, mask = ctypes.c_void_p(), ctypes.c_void_p()
        _native.check(lib.acg2vec_wordpiece_tokenizer_encode_padded(self._handle, _native.text(text), length,
                                                                    ctypes.byref(ids), ctypes.byref(mask)))
        return _native.take_ids(ids.value), _native.take_ids(mask.value)

    def token_id(self, token):
        """The id of a token; Error NOT_FOUND when the vocabulary lacks it."""
        value = ctypes.c_int64()
        _native.check(lib.acg2vec_wordpiece_tokenizer_token_id(self._handle, _native.text(token),
                                                               ctypes.byref(value)))
        return value.value

    def token(self, token_id):
        value = ctypes.c_char_p()
        _native.check(lib.acg2vec_wordpiece_tokenizer_token(self._handle, token_id, ctypes.byref(value)))
        return _native.decoded(value.value)

    @property
    def vocab_size(self):
        size = ctypes.c_size_t()
        _native.check(lib.acg2vec_wordpiece_tokenizer_vocab_size(self._handle, ctypes.byref(size)))
        return size.value
