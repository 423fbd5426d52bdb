"""The loaded C library, its errors as exceptions, and conversions shared by the modules."""
import ctypes
import enum
import os

from . import _capi

lib = _capi.load()

try:  # numpy is optional: vectors are numpy arrays when it is there, lists of floats when not
    import numpy
except ImportError:  # pragma: no cover - depends on the machine
    numpy = None

Status = enum.IntEnum("Status", {k[len("ACG2VEC_"):]: v for k, v in _capi.ENUMS["acg2vec_status"].items()})


class Error(Exception):
    """A failed acg2vec call: `status` (Status) and the library's message, which names the input
    (file, key, option) and the reason."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = Status(status)
        self.message = message

    @property
    def code(self):
        """The status's stable lower-case name, e.g. "invalid_image"."""
        return self.status.name.lower()

    def __repr__(self):
        return f"acg2vec.Error({self.code}: {self.message})"


def check(status):
    if status != 0:
        raise Error(status, lib.acg2vec_last_error().decode("utf-8", "replace"))


def text(value):
    """A str as the UTF-8 bytes C reads; None stays NULL."""
    return None if value is None else value.encode("utf-8")


def path(value):
    """A str or os.PathLike as the bytes of a file name."""
    return os.fsencode(value)


def decoded(raw):
    """A `const char*` read back (c_char_p gives bytes or None)."""
    return "" if raw is None else raw.decode("utf-8", "replace")


def owned_string(call, *args):
    """Calls a function with a `char**` out-parameter last; returns the str and frees it."""
    out = ctypes.c_void_p()
    check(call(*args, ctypes.byref(out)))
    try:
        return ctypes.string_at(out.value).decode("utf-8", "replace")
    finally:
        lib.acg2vec_string_free(out)


def text_array(values):
    """A `const char* const*` array (kept alive by the returned object) and its count."""
    encoded = [text(v) for v in values]
    return (ctypes.c_char_p * len(encoded))(*encoded), len(encoded)


def float_array(values, expected=None, what="vector"):
    """A `const float*` view of a sequence or array of numbers, with its length."""
    if numpy is not None:
        array = numpy.ascontiguousarray(values, dtype=numpy.float32).reshape(-1)
        pointer = array.ctypes.data_as(ctypes.POINTER(ctypes.c_float))
        pointer._keep = array  # the array lives as long as the pointer
        size = array.size
    else:
        values = [float(v) for v in values]
        pointer, size = (ctypes.c_float * len(values))(*values), len(values)
    if expected is not None and size != expected:
        raise ValueError(f"{what} has {size} values, expected {expected}")
    return pointer, size


def floats(data, size):
    """size floats at data, copied (numpy float32 array or list)."""
    if numpy is not None:
        return numpy.ctypeslib.as_array(data, shape=(size,)).copy() if size else numpy.zeros(0, numpy.float32)
    return [data[i] for i in range(size)]


def take_vector(handle):
    """An acg2vec_vector's floats, then the vector freed."""
    try:
        return read_vector(handle)
    finally:
        lib.acg2vec_vector_free(handle)


def read_vector(handle):
    data, size = ctypes.POINTER(ctypes.c_float)(), ctypes.c_size_t()
    check(lib.acg2vec_vector_data(handle, ctypes.byref(data), ctypes.byref(size)))
    return floats(data, size.value)


def items(count_function, get_function, handle, *c_types):
    """Reads a C list: for each index below count_function's count, the values that
    get_function(handle, index, out...) writes into out-parameters of c_types (strings decoded)."""
    count = ctypes.c_size_t()
    check(count_function(handle, ctypes.byref(count)))
    for i in range(count.value):
        values = [c_type() for c_type in c_types]
        check(get_function(handle, i, *(ctypes.byref(v) for v in values)))
        yield tuple(decoded(v.value) if isinstance(v, ctypes.c_char_p) else v.value for v in values)


def optional(function, handle):
    """The handle function(handle, &out) gives, or None when it answers NOT_FOUND."""
    out = ctypes.c_void_p()
    status = function(handle, ctypes.byref(out))
    if status == Status.NOT_FOUND:
        return None
    check(status)
    return out.value


def take_strings(handle):
    """An acg2vec_strings list as Python strs, then the list freed."""
    try:
        return [s for s, in items(lib.acg2vec_strings_count, lib.acg2vec_strings_get, handle, ctypes.c_char_p)]
    finally:
        lib.acg2vec_strings_free(handle)


def take_ids(handle):
    """An acg2vec_ids list as Python ints, then the list freed."""
    try:
        data, count = ctypes.POINTER(ctypes.c_int64)(), ctypes.c_size_t()
        check(lib.acg2vec_ids_data(handle, ctypes.byref(data), ctypes.byref(count)))
        return [data[i] for i in range(count.value)]
    finally:
        lib.acg2vec_ids_free(handle)


def out_handle(call, *args):
    """Calls a function whose last parameter is a `T**` out-handle; returns the handle."""
    out = ctypes.c_void_p()
    check(call(*args, ctypes.byref(out)))
    return out.value


class CallbackErrors:
    """Python exceptions raised inside callbacks cannot cross C: they are kept here and raised
    again when the C call returns."""

    def __init__(self):
        self.error = None

    def guard(self, function, failed_result=None):
        def wrapped(*args):
            if self.error is not None:
                return failed_result
            try:
                return function(*args)
            except BaseException as e:  # noqa: B902 - re-raised after the C call
                self.error = e
                return failed_result
        return wrapped

    def raise_any(self):
        if self.error is not None:
            error, self.error = self.error, None
            raise error
