#!/usr/bin/env python3
"""Fails when a binding's declarations of the C ABI differ from capi/acg2vec.h: a function
missing, extra or declared with other parameter or return types; a struct with other fields
(names, types, order); an enum with other values; a callback type with another signature; the
opaque handle types; the ABI version; the content-category prefix.

Bindings checked: Python (bindings/python/acg2vec/_capi.py, its declaration tables), Rust
(bindings/rust/acg2vec-sys/src/lib.rs, read as Rust: extern "C" functions, #[repr(C)] structs,
enum constants, callback types) and C# (bindings/csharp/Native.cs: the C# type every C type must
have by the binding's rule, see csharp_type). Go includes the header itself (cgo), so its
compiler does this check. The check first proves on mutated copies of the header that each kind
of drift is caught, for each binding.

Usage: check_bindings.py HEADER PYTHON_CAPI_FILE RUST_SYS_LIB CSHARP_NATIVE
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


_CSHARP_SCALAR = {"int": "int", "size_t": "UIntPtr", "float": "float", "double": "double", "uint64_t": "ulong",
                  "int64_t": "long", "uint8_t": "byte"}
_CSHARP_INPUT_ARRAY = {"float": "float[]", "int64_t": "long[]", "size_t": "UIntPtr[]", "uint8_t": "byte[]"}


def csharp_type(header, c_type, returning=False, field=False):
    """The C# type Native.cs must give a C type (its header comment states the rule): handles
    and other pointers IntPtr; out-parameters `out T` for scalars, `out IntPtr` for pointers;
    structs by `ref`; `const char*` arguments string, `const char* const*` string[]; other
    const input arrays typed arrays; returned pointers and struct fields' pointers IntPtr."""
    tokens = c_type.split()
    stars = tokens.count("*")
    base = next(t for t in tokens if t not in ("const", "*"))
    scalar = "int" if base in header.enums else _CSHARP_SCALAR.get(base)
    if stars == 0:
        if base == "void" or base in header.callbacks:
            return base
        return scalar
    if returning or field or stars == 3:
        return "IntPtr"
    if stars == 2:
        return "string[]" if c_type == "const char * const *" else "out IntPtr"
    if base == "char":
        return "string" if tokens[0] == "const" else "IntPtr"
    if base == "void" or base in header.opaque:
        return "IntPtr"
    if base in header.structs:
        return "ref " + base
    return _CSHARP_INPUT_ARRAY[base] if tokens[0] == "const" else "out " + scalar


class CSharpDeclarations:
    """Native.cs compared by the C# rule: the header is turned into the C# types it must have,
    and the binding is read as its C# types; the tables then say the same or differ."""

    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.text = re.sub(r"//[^\n]*", "", f.read())

    def against(self, header):
        """Tables in the shape differences() compares: the header's side in C# types."""
        text = self.text
        mine = type("CSharp", (), {})()
        mine.ABI_VERSION = int(re.search(r"const int ACG2VEC_ABI_VERSION = (\d+);", text).group(1))
        mine.CONTENT_CATEGORY_PREFIX = re.search(r'const string ACG2VEC_CONTENT_CATEGORY_PREFIX = "([^"]*)";',
                                                 text).group(1)
        mine.ENUMS = {}
        constants = dict((k, int(v)) for k, v in re.findall(r"internal const int (ACG2VEC_\w+) = (-?\d+);", text))
        for enum, values in header.enums.items():  # C# has the constants, not the enum types
            mine.ENUMS[enum] = {k: constants[k] for k in values if k in constants}
        mine.FUNCTIONS = {}
        for returns, name, parameters in re.findall(r"static extern ([\w\[\]]+) (\w+)\(([^)]*)\);", text):
            types = [" ".join(p.split()[:-1]) for p in parameters.split(",") if p.strip()]
            mine.FUNCTIONS[name] = (returns, types)
        mine.STRUCTS = {name: [tuple(reversed(f.split())) for f in re.findall(r"public (\w+ \w+);", body)]
                        for name, body in re.findall(r"internal struct (\w+)\s*\{([^}]*)\}", text)}
        mine.CALLBACKS = {}
        for returns, name, parameters in re.findall(r"internal delegate (\w+) (\w+)\(([^)]*)\);", text):
            mine.CALLBACKS[name] = (returns, [p.split()[0] for p in parameters.split(",") if p.strip()])
        mine.OPAQUE = header.opaque  # C# passes every handle as IntPtr: nothing to compare
        theirs = type("Header", (), {})()
        theirs.abi_version, theirs.defines, theirs.opaque, theirs.enums = (header.abi_version, header.defines,
                                                                        header.opaque, header.enums)
        theirs.functions = {n: (csharp_type(header, r, returning=True), [csharp_type(header, a) for a in args])
                            for n, (r, args) in header.functions.items()}
        theirs.structs = {n: [(f, csharp_type(header, t, field=True)) for f, t in fields]
                          for n, fields in header.structs.items()}
        theirs.callbacks = {n: (csharp_type(header, r, returning=True),
                                [csharp_type(header, a, field=True) for a in args])
                            for n, (r, args) in header.callbacks.items()}
        return theirs, mine


def csharp_differences(header, binding):
    theirs, mine = binding.against(header)
    return differences(theirs, mine, normalised=False)


def differences(header, binding, normalised=True):
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

    norm = c_header.normalise if normalised else (lambda t: t)
    compare("function", header.functions,
            {n: (norm(r), [norm(a) for a in args]) for n, (r, args) in binding.FUNCTIONS.items()}, signature)
    compare("struct", header.structs, {n: [(f, norm(t)) for f, t in fields] for n, fields in binding.STRUCTS.items()})
    compare("enum", header.enums, binding.ENUMS)
    compare("callback", header.callbacks,
            {n: (norm(r), [norm(a) for a in args]) for n, (r, args) in binding.CALLBACKS.items()}, signature)
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


def self_test(header_path, binding, compare=None, not_applicable=()):
    with open(header_path, encoding="utf-8") as f:
        text = f.read()
    failures = []
    with tempfile.TemporaryDirectory() as folder:
        for what, pattern, replacement in MUTATIONS:
            if what in not_applicable:
                continue
            mutated, n = re.subn(pattern, replacement, text)
            if n != 1:
                failures.append(f"self-test: the pattern for '{what}' matched {n} times")
                continue
            path = os.path.join(folder, "acg2vec.h")
            with open(path, "w", encoding="utf-8") as f:
                f.write(mutated)
            if not (compare or differences)(c_header.Header(path), binding):
                failures.append(f"self-test: '{what}' in the header went unnoticed")
    return failures


def main():
    header_path, python_capi, rust_sys, csharp_native = sys.argv[1:5]
    header = c_header.Header(header_path)
    # C# passes every handle as IntPtr and declares no opaque types: a new one changes nothing there.
    bindings = {"python": (python_declarations(python_capi), differences, ()),
                "rust": (RustDeclarations(rust_sys), differences, ()),
                "c#": (CSharpDeclarations(csharp_native), csharp_differences, ("an opaque type added",))}
    problems = []
    for language, (binding, compare, not_applicable) in bindings.items():
        problems += [f"{language}: {p}" for p in self_test(header_path, binding, compare, not_applicable)]
        problems += [f"{language}: {d}" for d in compare(header, binding)]
    for p in problems:
        print("FAIL:", p)
    if problems:
        return 1
    print(f"{', '.join(bindings)} bindings match {header_path}: {len(header.functions)} functions, "
          f"{len(header.structs)} structs, {len(header.enums)} enums, {len(header.callbacks)} callbacks, "
          f"{len(header.opaque)} opaque types; {len(MUTATIONS)} kinds of drift detected on mutated headers")
    return 0


if __name__ == "__main__":
    sys.exit(main())
