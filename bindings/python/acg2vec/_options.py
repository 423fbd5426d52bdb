"""Options structs filled from keyword arguments: the C *_init function gives the defaults (so
Python never carries a copy of them), then each given keyword sets its field. An unknown
keyword or a value of the wrong kind is a TypeError / ValueError naming it."""
import ctypes

from . import _capi, _native

# Enum fields take the names users write.
_ENUM_VALUES = {
    "decode_schedule": {"automatic": 0, "overlap": 1, "alternate": 2},
    "precision": {"fp32": 0, "fp16": 1, "bf16": 2},
    "optimization": {"none": 0, "freeze": 1, "full": 2},
    "metric": {"cosine": 0, "inner_product": 1, "l2": 2},
}

# Fields a user does not set: sizes and counts that go with an array field.
_HIDDEN = {"struct_size", "include_count", "exclude_count", "category_count", "user_data"}


def fill(struct_name, init_function, options):
    """The C struct `struct_name` with its defaults and `options` applied."""
    struct = _capi.struct(struct_name)()
    _native.check(getattr(_native.lib, init_function)(ctypes.byref(struct)))
    fields = dict(_capi.STRUCTS[struct_name])
    for name, value in options.items():
        if name not in fields or name in _HIDDEN:
            settable = ", ".join(f for f in fields if f not in _HIDDEN)
            raise TypeError(f"{struct_name[len('acg2vec_'):]}: unknown option {name!r} (options: {settable})")
        if value is None:
            continue
        c_type = fields[name]
        if name in _ENUM_VALUES:
            if value not in _ENUM_VALUES[name]:
                raise ValueError(f"{name}: {value!r} is not one of {', '.join(_ENUM_VALUES[name])}")
            value = _ENUM_VALUES[name][value]
        elif c_type == "const char *":
            value = _native.text(value)
        elif c_type == "const char * const *":  # a list of strings and its count field
            array, count = _native.text_array(value)
            setattr(struct, name + "_count", count)
            value = array
        elif c_type == "int" and isinstance(value, bool):
            value = int(value)
        try:
            setattr(struct, name, value)
        except TypeError as e:
            raise TypeError(f"{name}: {value!r} is not a valid {c_type} ({e})") from None
    return struct


def read(struct):
    """A filled struct's fields as a dict (strings decoded, enums by name)."""
    result = {}
    for name, _ in struct._fields_:
        if name in _HIDDEN:
            continue
        value = getattr(struct, name)
        if isinstance(value, bytes):
            value = value.decode("utf-8")
        if name in _ENUM_VALUES:
            value = {v: k for k, v in _ENUM_VALUES[name].items()}[value]
        result[name] = value
    return result
