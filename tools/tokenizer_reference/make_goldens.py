#!/usr/bin/env python3
"""Regenerate the tokenizer golden files from the *reference* Python code.

Usage:
    /usr/bin/python3 tools/tokenizer_reference/make_goldens.py REF_DIR DATA_DIR [OUT_DIR]

REF_DIR   directory holding the upstream reference sources (NOT committed here):
            REF_DIR/ftfy/...                 ftfy 6.3.1 package (rspeer/python-ftfy)
            REF_DIR/clip/simple_tokenizer.py openai/CLIP
            REF_DIR/bert/tokenization.py     google-research/bert
          See README.md in this directory for exact provenance.
DATA_DIR  the shared data directory (e.g. /work/shared/data) with
            clip/bpe_simple_vocab_16e6.txt.gz
            bert/bert-base-uncased-vocab.txt
            bert/bert-base-multilingual-cased-vocab.txt
OUT_DIR   where to write the goldens; defaults to <repo>/tests/data/tokenizers

Needs the Debian packages python3-regex and python3-wcwidth (and python3-six).
TensorFlow is not needed: bert/tokenization.py only uses tf.gfile.GFile to read
the vocabulary, so a tiny stand-in module that opens the file as UTF-8 text is
registered before the import.

Outputs (JSON Lines, ensure_ascii so every control character is escaped):
    clip_goldens.jsonl       CLIP SimpleTokenizer + clip.tokenize semantics
    wordpiece_goldens.jsonl  BERT FullTokenizer, both vocabularies
    ftfy_goldens.jsonl       ftfy.fix_text with the default config
"""

import argparse
import importlib.util
import json
import os
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

CLIP_CONTEXT = 77
CLIP_SHORT_CONTEXT = 16
BERT_MAX_SEQ = 128  # sentence-transformers max_seq_length (distiluse / MiniLM style)

BERT_VOCABS = [
    ("bert-base-uncased-vocab.txt", True),
    ("bert-base-multilingual-cased-vocab.txt", False),
]


def load_module(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def install_tensorflow_standin():
    """bert/tokenization.py does `import tensorflow as tf` and calls
    tf.gfile.GFile(path, "r").readline(); open() in text mode is equivalent for
    these vocab files (UTF-8, LF line ends, no CR)."""
    tf = types.ModuleType("tensorflow")
    gfile = types.ModuleType("tensorflow.gfile")

    def GFile(path, mode="r"):
        return open(path, mode, encoding="utf-8")

    gfile.GFile = GFile
    tf.gfile = gfile
    sys.modules["tensorflow"] = tf


def dump_line(obj):
    line = json.dumps(obj, ensure_ascii=True)
    assert json.loads(line) == obj
    return line + "\n"


def clip_tokenize(tok, text, context_length, truncate=True):
    """clip.clip.tokenize for one string, without the zero padding.

    NOTE: id 0 is a real token ("!"), so the padded tensor cannot be
    un-padded by stripping zeros; this returns the list before padding."""
    sot = tok.encoder["<|startoftext|>"]
    eot = tok.encoder["<|endoftext|>"]
    tokens = [sot] + tok.encode(text) + [eot]
    if len(tokens) > context_length:
        if not truncate:
            raise RuntimeError("too long")
        tokens = tokens[:context_length]
        tokens[-1] = eot
    return tokens


def make_clip(ftfy, st, texts, data_dir):
    tok = st.SimpleTokenizer(bpe_path=os.path.join(data_dir, "clip", "bpe_simple_vocab_16e6.txt.gz"))
    assert len(tok.encoder) == 49408
    out = []
    for t in texts:
        name, text = t["name"], t["text"]
        cleaned = st.whitespace_clean(st.basic_clean(text)).lower()
        pretokens = st.re.findall(tok.pat, cleaned)
        bpe_ids = tok.encode(text)
        rec = {
            "name": name,
            "text": text,
            "ids": clip_tokenize(tok, text, CLIP_CONTEXT),
            "bpe_ids": bpe_ids,
            "mojibake": ftfy.fix_text(text) != ftfy.fix_text(text, fix_encoding=False),
            "cleaned": cleaned,
            "pretokens": pretokens,
        }
        if len(bpe_ids) + 2 > CLIP_SHORT_CONTEXT:
            rec["ids_ctx16"] = clip_tokenize(tok, text, CLIP_SHORT_CONTEXT)
        out.append(rec)
    return out


def make_wordpiece(bt, texts, data_dir):
    out = []
    for vocab_name, lower in BERT_VOCABS:
        tok = bt.FullTokenizer(os.path.join(data_dir, "bert", vocab_name), do_lower_case=lower)
        # The reference default (google-research/bert f18bd94) is 100, which is
        # also what HF BertTokenizer / sentence-transformers use.
        assert tok.wordpiece_tokenizer.max_input_chars_per_word == 100
        cls_id, sep_id = tok.vocab["[CLS]"], tok.vocab["[SEP]"]
        for t in texts:
            name, text = t["name"], t["text"]
            tokens = tok.tokenize(text)
            body = tok.convert_tokens_to_ids(tokens[: BERT_MAX_SEQ - 2])
            out.append({
                "name": name,
                "vocab": vocab_name,
                "lower": lower,
                "text": text,
                "tokens": tokens,
                "ids": [cls_id] + body + [sep_id],
                "basic_tokens": tok.basic_tokenizer.tokenize(text),
            })
    return out


def make_ftfy(ftfy, texts):
    out = []
    for t in texts:
        fixed = ftfy.fix_text(t["text"])
        no_enc = ftfy.fix_text(t["text"], fix_encoding=False)
        out.append({
            "name": t["name"],
            "text": t["text"],
            "fixed": fixed,
            "fixed_no_encoding": no_enc,
            "mojibake": fixed != no_enc,
        })
    return out


def cps(s):
    return [ord(c) for c in s]


def expand_class(spec):
    """Expand a regex character-class body such as "a-z\\x80-\\x9f" (already a
    Python string, so escapes are real characters) into code points."""
    result = []
    i = 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            result.extend(range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            result.append(ord(spec[i]))
            i += 1
    return sorted(set(result))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ref_dir")
    ap.add_argument("data_dir")
    ap.add_argument("out_dir", nargs="?", default=os.path.join(REPO, "tests", "data", "tokenizers"))
    ap.add_argument("--texts", default=os.path.join(HERE, "texts.json"))
    args = ap.parse_args()

    ref = os.path.abspath(args.ref_dir)
    sys.path.insert(0, ref)
    import ftfy  # noqa: E402  (from REF_DIR)

    if not ftfy.__file__.startswith(ref):
        sys.exit("ftfy was not imported from %s but from %s" % (ref, ftfy.__file__))
    if ftfy.__version__ != "6.3.1":
        print("warning: expected ftfy 6.3.1, got %s" % ftfy.__version__, file=sys.stderr)
    st = load_module("simple_tokenizer", os.path.join(ref, "clip", "simple_tokenizer.py"))
    install_tensorflow_standin()
    bt = load_module("tokenization", os.path.join(ref, "bert", "tokenization.py"))

    with open(args.texts, encoding="utf-8") as f:
        texts = json.load(f)
    names = [t["name"] for t in texts]
    assert len(names) == len(set(names)), "duplicate names in texts.json"

    os.makedirs(args.out_dir, exist_ok=True)
    outputs = {
        "clip_goldens.jsonl": make_clip(ftfy, st, texts, args.data_dir),
        "wordpiece_goldens.jsonl": make_wordpiece(bt, texts, args.data_dir),
        "ftfy_goldens.jsonl": make_ftfy(ftfy, texts),
    }
    for fname, recs in outputs.items():
        with open(os.path.join(args.out_dir, fname), "w", encoding="ascii", newline="\n") as f:
            for rec in recs:
                f.write(dump_line(rec))
        print("%-26s %d lines" % (fname, len(recs)))


if __name__ == "__main__":
    main()
