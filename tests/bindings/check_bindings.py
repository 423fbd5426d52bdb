#!/usr/bin/env python3
"""Fails when a binding's declarations of the C ABI differ from capi/acg2vec.h: a function
missing, extra or declared with other parameter or return types; a struct with other fields
(names, types, order); an enum with other values; a callback type with another signature; the
opaque handle types; the ABI version; the content-category prefix.

Bindings checked: Python (bindings/python/acg2vec/_capi.py, its declaration tables) and Rust
(bindings/rust/acg2vec-sys/src/lib.rs, read as Rust: extern "C" functions, #[repr(C)] structs,
enum constants, callback types). The check first proves on mutated copies of the header that
each kind of drift is caught.

Usage: check_bindings.py HEADER PYTHON_CAPI_FILE RUST_SYS_LIB
"""
import importlib.util
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import c_header  # noqa: E402


def python_declarations(path):
    """The Python binding's tables, read without loading the C library."""
    spec = importlib.util.spec_from_file_location("acg2vec_capi_declarations", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_RUST_BASE = {"c_int": "int", "usize": "size_t", "f32": "float", "f64": "double", "u64": "uint64_t",
              "i64": "int64_t", "u8": "uint8_t", "c_char": "char", "c_void": "void"}


def rust_type_to_c(rust):
    """`*mut *const acg2vec_tag_result` -> "const acg2vec_tag_result * *" (normalised C)."""
    qualifiers = re.findall(r"\*\s*(const|mut)", rust)  # outermost pointer first
    base = re.sub(r"\*\s*(const|mut)", " ", rust).strip()
    base = _RUST_BASE.get(base, base)
    if not qualifiers:
        return base
    inner_to_outer = list(reversed(qualifiers))
    text = ("const " if inner_to_outer[0] == "const" else "") + base
    for level in range(len(inner_to_outer)):
        text += " *"
        if level + 1 < len(inner_to_outer) and inner_to_outer[level + 1] == "const":
            text += " const"
    return c_header.normalise(text)


def _rust_parameters(text):
    """["const char *", ...] from "a: *const c_char, b: usize"."""
    parameters = [p.strip() for p in text.split(",") if p.strip()]
    return [rust_type_to_c(p.split(":", 1)[1]) for p in parameters]


class RustDeclarations:
    """The acg2vec-sys crate's declarations, in the shape of the Python tables."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            text = re.sub(r"//[^\n]*", "", f.read())
        self.ABI_VERSION = int(re.search(r"pub const ACG2VEC_ABI_VERSION: c_int = (\d+);", text).group(1))
        self.CONTENT_CATEGORY_PREFIX = re.search(r'pub const ACG2VEC_CONTENT_CATEGORY_PREFIX: &str = "([^"]*)";',
                                                 text).group(1)
        self.OPAQUE = set(re.findall(r"pub struct (\w+) \{\s*_private: \[u8; 0\],?\s*\}", text))
        self.ENUMS = {name: {} for name in re.findall(r"pub type (\w+) = c_int;", text)}
        for constant, enum, value in re.findall(r"pub const (\w+): (\w+) = (-?\d+);", text):
            if enum in self.ENUMS:
                self.ENUMS[enum][constant] = int(value)
        self.CALLBACKS = {}
        for name, parameters, returns in re.findall(
                r'pub type (\w+) = Option<\s*unsafe extern "C" fn\(([^)]*)\)\s*(?:->\s*([^>]+?))?\s*>;', text):
            types = [rust_type_to_c(p) for p in parameters.split(",") if p.strip()]
            self.CALLBACKS[name] = (rust_type_to_c(returns) if returns else "void", types)
        self.STRUCTS = {}
        for name, body in re.findall(r"pub struct (\w+) \{([^}]*)\}", text):
            if name in self.OPAQUE:
                continue
            fields = re.findall(r"pub (\w+): ([^,]+),", body)
            self.STRUCTS[name] = [(field, rust_type_to_c(rust)) for field, rust in fields]
        block = re.search(r'extern "C" \{(.*)\}', text, flags=re.S).group(1)
        self.FUNCTIONS = {}
        for name, parameters, returns in re.findall(r"pub fn (\w+)\(([^)]*)\)\s*(?:->\s*([^;]+))?;", block):
            self.FUNCTIONS[name] = (rust_type_to_c(returns) if returns else "void", _rust_parameters(parameters))


def differences(header, binding):
    """Each way the binding differs from the header, as a sentence."""
    found = []
    if binding.ABI_VERSION != header.abi_version:
        found.append(f"ABI_VERSION is {binding.ABI_VERSION}, the header says {header.abi_version}")
    prefix = header.defines.get("ACG2VEC_CONTENT_CATEGORY_PREFIX")
    if binding.CONTENT_CATEGORY_PREFIX != prefix:
        found.append(f"CONTENT_CATEGORY_PREFIX is {binding.CONTENT_CATEGORY_PREFIX!r}, the header says {prefix!r}")

    def compare(kind, theirs, ours, describe=repr):
        for name in sorted(set(theirs) - set(ours)):
            found.append(f"{kind} {name} is in the header but not in the binding")
        for name in sorted(set(ours) - set(theirs)):
            found.append(f"{kind} {name} is in the binding but not in the header")
        for name in sorted(set(theirs) & set(ours)):
            a, b = theirs[name], ours[name]
            if a != b:
                found.append(f"{kind} {name}: the header has {describe(a)}, the binding {describe(b)}")

    def signature(declaration):
        returns, arguments = declaration
        return f"{returns} ({', '.join(arguments)})"

    normalised_functions = {n: (c_header.normalise(r), [c_header.normalise(a) for a in args])
                            for n, (r, args) in binding.FUNCTIONS.items()}
    compare("function", header.functions, normalised_functions, signature)
    compare("struct", header.structs,
            {n: [(f, c_header.normalise(t)) for f, t in fields] for n, fields in binding.STRUCTS.items()})
    compare("enum", header.enums, binding.ENUMS)
    compare("callback", header.callbacks,
            {n: (c_header.normalise(r), [c_header.normalise(a) for a in args])
             for n, (r, args) in binding.CALLBACKS.items()}, signature)
    for name in sorted(header.opaque ^ set(binding.OPAQUE)):
        side = "header" if name in header.opaque else "binding"
        found.append(f"opaque type {name} is only in the {side}")
    return found


# Drifts the check must see, each a change to the header text: (what, pattern, replacement).
MUTATIONS = [
    ("a function removed", r"ACG2VEC_API void acg2vec_ids_free\(acg2vec_ids\* ids\);", ""),
    ("a parameter's type changed", r"acg2vec_index_remove\(acg2vec_index\* index, const char\* key, int\* removed\)",
     "acg2vec_index_remove(acg2vec_index* index, const char* key, size_t* removed)"),
    ("a parameter added", r"ACG2VEC_API acg2vec_status acg2vec_index_size\(const acg2vec_index\* index, size_t\* size\)",
     "ACG2VEC_API acg2vec_status acg2vec_index_size(const acg2vec_index* index, size_t* size, int flags)"),
    ("a return type changed", r"ACG2VEC_API int acg2vec_abi_version\(void\)",
     "ACG2VEC_API size_t acg2vec_abi_version(void)"),
    ("a struct field added", r"(int jpeg_min_side;)", r"\1 int new_field;"),
    ("struct fields reordered", r"(float general_threshold;)(\s*)(float character_threshold;)", r"\3\2\1"),
    ("an enum value changed", r"ACG2VEC_DEVICE = 12", "ACG2VEC_DEVICE = 14"),
    ("a callback changed", r"typedef void \(\*acg2vec_sync_progress_callback\)\(size_t done, size_t total,",
     "typedef void (*acg2vec_sync_progress_callback)(size_t done, int total,"),
    ("the ABI version changed", r"#define ACG2VEC_ABI_VERSION 2", "#define ACG2VEC_ABI_VERSION 3"),
    ("an opaque type added", r"(typedef struct acg2vec_ids acg2vec_ids;)", r"\1\ntypedef struct acg2vec_x acg2vec_x;"),
]


def self_test(header_path, binding):
    with open(header_path, encoding="utf-8") as f:
        text = f.read()
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        for what, pattern, replacement in MUTATIONS:
            mutated, n = re.subn(pattern, replacement, text)
            if n != 1:
                failures.append(f"self-test: the pattern for '{what}' matched {n} times")
                continue
            path = os.path.join(folder, "acg2vec.h")
            with open(path, "w", encoding="utf-8") as f:
                f.write(mutated)
            if not differences(c_header.Header(path), binding):
                failures.append(f"self-test: '{what}' in the header went unnoticed")
    return failures


def main():
    header_path, python_capi, rust_sys = sys.argv[1:4]
    header = c_header.Header(header_path)
    bindings = {"python": python_declarations(python_capi), "rust": RustDeclarations(rust_sys)}
    problems = []
    for language, binding in bindings.items():
        problems += [f"{language}: {p}" for p in self_test(header_path, binding)]
        problems += [f"{language}: {d}" for d in differences(header, binding)]
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print(f"{' and '.join(bindings)} bindings match {header_path}: {len(header.functions)} functions, "
          f"{len(header.structs)} structs, {len(header.enums)} enums, {len(header.callbacks)} callbacks, "
          f"{len(header.opaque)} opaque types; {len(MUTATIONS)} kinds of drift detected on mutated headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
