"""Reads capi/acg2vec.h into plain data: functions, structs, enums, callback types, and the ABI
version, with C types normalised to one spelling ("const char * const *"), so that a binding's
declarations can be compared with the header by tests/bindings/check_bindings.py.

The header's style is regular (one declaration per ACG2VEC_API statement, typedef'd structs,
enums and callbacks), and this reader relies on it; anything it cannot place is an error, so
a new kind of declaration cannot slip past the check unread.
"""
import re

_IDENTIFIER_OR_STAR = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\*")


def normalise(c_type):
    """One spelling per type: tokens joined by single spaces ("const char* const*" ->
    "const char * const *")."""
    return " ".join(_IDENTIFIER_OR_STAR.findall(c_type))


def _strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def _split_declarator(declaration):
    """("const char * const *", "labels") from "const char* const* labels"."""
    tokens = _IDENTIFIER_OR_STAR.findall(declaration)
    if len(tokens) < 2 or tokens[-1] == "*":
        raise ValueError(f"cannot read the declaration {declaration!r}")
    return " ".join(tokens[:-1]), tokens[-1]


class Header:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            text = _strip_comments(f.read())
        self.abi_version = int(re.search(r"#define\s+ACG2VEC_ABI_VERSION\s+(\d+)", text).group(1))
        self.defines = dict(re.findall(r'#define\s+(ACG2VEC_[A-Z_]+)\s+"([^"]*)"', text))
        # Inline helpers are C conveniences, not ABI: leave them out of what follows.
        text = re.sub(r"static inline[^{]*\{[^}]*\}", " ", text)
        self.enums = {}
        for name, body in re.findall(r"typedef enum (\w+)\s*\{(.*?)\}\s*\1\s*;", text, flags=re.S):
            values = {}
            for item in body.split(","):
                if item.strip():
                    key, value = (part.strip() for part in item.split("="))
                    values[key] = int(value)
            self.enums[name] = values
        self.structs = {}
        for name, body in re.findall(r"typedef struct (\w+)\s*\{(.*?)\}\s*\1\s*;", text, flags=re.S):
            fields = []
            for statement in body.split(";"):
                if not statement.strip():
                    continue
                # "size_t added, updated, renamed" declares several fields of one type.
                first, *more = statement.split(",")
                c_type, field = _split_declarator(first)
                fields.append((field, c_type))
                fields += [(extra.strip(), c_type) for extra in more]
            self.structs[name] = fields
        self.opaque = set(re.findall(r"typedef struct (\w+) \1;", text))
        self.callbacks = {}
        for returns, name, params in re.findall(r"typedef\s+([\w\s\*]+?)\s*\(\s*\*\s*(\w+)\s*\)\s*\(([^)]*)\)\s*;",
                                                text):
            self.callbacks[name] = (normalise(returns), [_split_declarator(p)[0] for p in params.split(",")])
        self.functions = {}
        self.parameter_names = {}  # for bindings generated from the header
        for statement in re.findall(r"ACG2VEC_API\s+([^;{]*?\([^;{]*?\))\s*;", text, flags=re.S):
            head, params = statement.split("(", 1)
            returns, name = _split_declarator(head)
            params = params.rsplit(")", 1)[0].strip()
            declarators = [] if params in ("", "void") else [_split_declarator(p) for p in params.split(",")]
            self.functions[name] = (returns, [c_type for c_type, _ in declarators])
            self.parameter_names[name] = [parameter for _, parameter in declarators]
        declared = len(re.findall(r"^ACG2VEC_API\s+\w", text, flags=re.M))  # not the #define block
        if declared != len(self.functions):
            raise ValueError(f"read {len(self.functions)} functions of {declared} ACG2VEC_API declarations")
