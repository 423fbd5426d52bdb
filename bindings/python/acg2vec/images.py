"""Images and the inputs the tasks take.

An input is a path (str or os.PathLike), encoded bytes (bytes, bytearray, memoryview), base64
text or a data URL wrapped in Base64(...), a decoded Image, or a numpy uint8 array of shape
(height, width) or (height, width, channels) with 1-4 channels.
"""
import ctypes
import os

from . import _capi, _native
from ._handle import Handle
from ._options import fill

_SOURCE = _capi.ENUMS["acg2vec_image_source"]


class Base64(str):
    """Base64 text or a data URL ("data:image/png;base64,...") as an image input."""


class Image(Handle):
    """A decoded image: 8-bit pixels, rows top to bottom, channels interleaved."""

    _free_function = "acg2vec_image_free"

    @classmethod
    def open(cls, file, **decode_options):
        """Decodes a file. decode_options: max_pixels, apply_exif_orientation, jpeg_min_side."""
        options = fill("acg2vec_decode_options", "acg2vec_decode_options_init", decode_options)
        return cls(_native.out_handle(_native.lib.acg2vec_image_decode_file, _native.path(file), ctypes.byref(options)))

    @classmethod
    def decode(cls, data, **decode_options):
        """Decodes encoded bytes (JPEG, PNG, WebP, GIF, BMP, ...) or a Base64 text."""
        options = fill("acg2vec_decode_options", "acg2vec_decode_options_init", decode_options)
        if isinstance(data, Base64):
            return cls(_native.out_handle(_native.lib.acg2vec_image_decode_base64, _native.text(data),
                                          ctypes.byref(options)))
        data = bytes(data)
        return cls(_native.out_handle(_native.lib.acg2vec_image_decode_memory, data, len(data), ctypes.byref(options)))

    @classmethod
    def from_pixels(cls, pixels, width, height, channels):
        """Copies width x height x channels bytes (1 gray, 2 gray+alpha, 3 RGB, 4 RGBA)."""
        data = bytes(pixels)
        buffer = (ctypes.c_uint8 * len(data)).from_buffer_copy(data) if data else None
        if len(data) != width * height * channels:
            raise ValueError(f"{len(data)} bytes of pixels, expected {width}x{height}x{channels} = "
                             f"{width * height * channels}")
        return cls(_native.out_handle(_native.lib.acg2vec_image_from_pixels, width, height, channels, buffer))

    @classmethod
    def from_array(cls, array):
        """A numpy uint8 array (height, width) or (height, width, channels)."""
        if array.dtype.name != "uint8" or array.ndim not in (2, 3):
            raise ValueError(f"pixels must be uint8 (height, width[, channels]), not {array.dtype} {array.shape}")
        height, width = array.shape[:2]
        channels = 1 if array.ndim == 2 else array.shape[2]
        return cls.from_pixels(array.tobytes(), width, height, channels)

    @property
    def size(self):
        """(width, height, channels)."""
        w, h, c = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        _native.check(_native.lib.acg2vec_image_dimensions(self._handle, ctypes.byref(w), ctypes.byref(h),
                                                           ctypes.byref(c)))
        return w.value, h.value, c.value

    @property
    def format(self):
        """"jpeg", "png", ... or "unknown" (made from pixels)."""
        name = ctypes.c_char_p()
        _native.check(_native.lib.acg2vec_image_format(self._handle, ctypes.byref(name)))
        return _native.decoded(name.value)

    def pixels(self):
        """The pixels: a numpy array (height, width, channels) when numpy is there, else bytes."""
        data, size = ctypes.POINTER(ctypes.c_uint8)(), ctypes.c_size_t()
        _native.check(_native.lib.acg2vec_image_pixels(self._handle, ctypes.byref(data), ctypes.byref(size)))
        raw = ctypes.string_at(data, size.value)
        if _native.numpy is None:
            return raw
        width, height, channels = self.size
        return _native.numpy.frombuffer(raw, dtype=_native.numpy.uint8).reshape(height, width, channels).copy()


class Inputs:
    """An array of acg2vec_image_input for one call, with everything it points to kept alive
    until the call returns (`with Inputs(items) as inputs:`)."""

    def __init__(self, items):
        items = list(items)
        self._keep = []
        self._temporary = []
        self.count = len(items)
        self.array = (_capi.struct("acg2vec_image_input") * max(1, len(items)))()
        for i, item in enumerate(items):
            self._set(self.array[i], item)

    def _set(self, slot, item):
        if isinstance(item, Base64):
            slot.source, slot.text = _SOURCE["ACG2VEC_IMAGE_BASE64"], self._kept(_native.text(item))
        elif isinstance(item, (str, os.PathLike)):
            slot.source, slot.text = _SOURCE["ACG2VEC_IMAGE_FILE"], self._kept(_native.path(item))
        elif isinstance(item, (bytes, bytearray, memoryview)):
            data = self._kept(bytes(item))
            slot.source, slot.data, slot.size = _SOURCE["ACG2VEC_IMAGE_MEMORY"], ctypes.cast(data, ctypes.c_void_p), \
                len(data)
        elif isinstance(item, Image):
            slot.source, slot.image = _SOURCE["ACG2VEC_IMAGE_DECODED"], item._handle
            self._keep.append(item)
        elif _native.numpy is not None and isinstance(item, _native.numpy.ndarray):
            image = Image.from_array(item)
            self._temporary.append(image)
            slot.source, slot.image = _SOURCE["ACG2VEC_IMAGE_DECODED"], image._handle
        else:
            raise TypeError(f"not an image input: {type(item).__name__} (a path, bytes, Base64, Image or a numpy "
                            "uint8 array)")

    def _kept(self, value):
        self._keep.append(value)
        return value

    def first(self):
        return ctypes.byref(self.array[0])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for image in self._temporary:
            image.close()
