#!/usr/bin/env python3
"""Every field of the C++ option structs has a counterpart in the C header.

Reads the public C++ headers and capi/acg2vec.h as text, lists the fields of each C++ options
struct and of its C struct, and fails naming every C++ field that C cannot set (a new C++ option
added without its C field, or a C field renamed). A C++ field may map to differently named C
fields (a vector becomes a pointer and a count; a std::function a C callback and user_data).
Usage: check_option_parity.py INCLUDE_DIR C_HEADER
"""
import re
import sys
from pathlib import Path

# C++ struct -> C struct. Structs that only group others (TaggerOptions = ModelOptions +
# DecodeOptions + TagOptions, ...) map through their parts.
STRUCTS = {
    "ModelOptions": "acg2vec_model_options",
    "DecodeOptions": "acg2vec_decode_options",
    "TagOptions": "acg2vec_tag_options",
    "ScoreOptions": "acg2vec_score_options",
    "EmbedOptions": "acg2vec_embed_options",
    "IndexOptions": "acg2vec_index_options",
    "SearchFilter": "acg2vec_search_filter",
    "SyncOptions": "acg2vec_sync_options",
    "DuplicateOptions": "acg2vec_duplicate_options",
    "ClipTokenizerOptions": "acg2vec_clip_tokenizer_options",
    "WordPieceOptions": "acg2vec_wordpiece_options",
}
# (C++ struct, C++ field) -> the C fields that carry it, when the names differ.
RENAMED = {
    ("ModelOptions", "preprocess"): ["preprocess_json"],
    ("TagOptions", "include"): ["include", "include_count"],
    ("TagOptions", "exclude"): ["exclude", "exclude_count"],
    ("SearchFilter", "any_category"): ["any_category", "category_count"],
    ("SearchFilter", "accept"): ["accept", "user_data"],
    ("SyncOptions", "on_event"): ["on_event", "user_data"],
    ("SyncOptions", "on_progress"): ["on_progress", "user_data"],
}
# Structs that only group the ones above; each field must be one of those structs.
GROUPS = {"TaggerOptions", "ScorerOptions", "EmbedderOptions", "AnalyzeOptions"}


def struct_bodies(text, pattern):
    """name -> body of every struct whose name matches pattern."""
    bodies = {}
    for match in re.finditer(r"struct\s+(?:ACG2VEC_API\s+)?(" + pattern + r")\s*\{", text):
        depth, i = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        bodies[match.group(1)] = text[match.end():i - 1]
    return bodies


def fields(body):
    """Names of the data members of a struct body (one declaration per line)."""
    names = []
    body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
    for line in body.splitlines():
        code = re.sub(r"//.*", "", line).strip()
        if not code.endswith(";") or "(" in code.split("=")[0] and "(*" not in code:
            continue  # not a member, or a member function
        declaration = code.split("=")[0].rstrip(" ;")
        match = re.search(r"\(\s*\*\s*(\w+)\s*\)|(\w+)\s*(?:\[\d*\])?$", declaration)
        if match:
            names.append(match.group(1) or match.group(2))
    return names


def main():
    include_dir, c_header = Path(sys.argv[1]), Path(sys.argv[2])
    cpp_text = "\n".join(p.read_text() for p in sorted(include_dir.glob("acg2vec/*.hpp")))
    cpp = struct_bodies(cpp_text, r"\w+")
    c = struct_bodies(c_header.read_text(), r"acg2vec_\w+")
    problems = []
    for cpp_name, c_name in STRUCTS.items():
        if cpp_name not in cpp:
            problems.append(f"C++ struct {cpp_name} not found")
            continue
        if c_name not in c:
            problems.append(f"C struct {c_name} (for {cpp_name}) not found")
            continue
        c_fields = set(fields(c[c_name]))
        for field in fields(cpp[cpp_name]):
            wanted = RENAMED.get((cpp_name, field), [field])
            missing = [w for w in wanted if w not in c_fields]
            if missing:
                problems.append(f"{cpp_name}::{field} has no C counterpart in {c_name} (missing {', '.join(missing)})")
    for group in GROUPS:
        for line in cpp.get(group, "").splitlines():
            code = re.sub(r"//.*", "", line).strip()
            if code.endswith(";") and code.split()[0] not in STRUCTS:
                problems.append(f"{group} holds '{code}', which is not one of the mapped option structs")
    checked = sum(len(fields(cpp[n])) for n in STRUCTS if n in cpp)
    for p in problems:
        print("FAIL:", p)
    print(f"{checked} C++ option fields in {len(STRUCTS)} structs checked against {c_header.name}: "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
