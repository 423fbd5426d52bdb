#!/usr/bin/env python3
"""Export a sentence-transformers style text model (WordPiece + encoder + pooling + Dense)
as an acg2vec text embedder.

Core: :func:`export_sentence_model` takes an ``encoder(input_ids, attention_mask)`` returning
token states [N, L, H], the pooling mode(s), optional Dense layers and Normalize, and writes
one TorchScript file whose ``forward(input_ids, attention_mask)`` returns the sentence vector
[N, D] (pooling inside, so acg2vec.json says ``text_pooling: "none"``), with vocab.txt inside.

CLI (imports sentence_transformers only here):

    python export_sentence.py --sentence-transformers OysterQAQ/ACGVoc2vec --out acgvoc2vec.pt
    python export_sentence.py --sentence-transformers sentence-transformers/distiluse-base-multilingual-cased-v2 \
        --out distiluse-base-multilingual-cased-v2.pt
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import acg2vec_export as ax  # noqa: E402

# sentence-transformers' Pooling concatenates its modes in this order.
POOLING_MODES = ("cls", "max", "mean", "mean_sqrt_len_tokens", "lasttoken")


class SentenceEncoder(nn.Module):
    """encoder -> pooling (attention-masked, as sentence-transformers' Pooling) -> Dense* -> Normalize?"""

    def __init__(self, encoder: nn.Module, modes: Sequence[str], dense: Sequence[nn.Module], normalize: bool):
        super().__init__()
        self.encoder = encoder
        self.modes = tuple(modes)
        self.dense = nn.ModuleList(list(dense))
        self.normalize = bool(normalize)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        states = self.encoder(input_ids, attention_mask)
        mask = attention_mask.unsqueeze(-1).to(states.dtype)
        parts: List[torch.Tensor] = []
        for mode in self.modes:
            if mode == "cls":
                parts.append(states[:, 0])
            elif mode == "max":
                parts.append(states.masked_fill(mask == 0, -1e9).max(dim=1).values)
            elif mode == "lasttoken":  # right padding: the last position the mask keeps
                last = attention_mask.sum(dim=1) - 1
                parts.append(states[torch.arange(states.shape[0]), last])
            else:
                summed = (states * mask).sum(dim=1)
                count = mask.sum(dim=1).clamp(min=1e-9)
                parts.append(summed / count if mode == "mean" else summed / count.sqrt())
        x = parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)
        for layer in self.dense:
            x = layer(x)
        if self.normalize:
            x = F.normalize(x, p=2.0, dim=1)
        return x


def _vocab(path: str) -> List[str]:
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f.read().splitlines()]


def example_batch(lengths: Sequence[int], vocab: List[str], seed: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """[CLS] pieces [SEP] rows padded with [PAD] to the longest, and their mask."""
    g = torch.Generator().manual_seed(seed)
    cls, sep, pad = vocab.index("[CLS]"), vocab.index("[SEP]"), vocab.index("[PAD]")
    width = max(lengths)
    ids = torch.full((len(lengths), width), pad, dtype=torch.long)
    mask = torch.zeros((len(lengths), width), dtype=torch.long)
    lo, hi = 999, min(len(vocab), 30000)
    for row, n in enumerate(lengths):
        ids[row, 0] = cls
        ids[row, 1:n - 1] = torch.randint(lo, hi, (n - 2,), generator=g)
        ids[row, n - 1] = sep
        mask[row, :n] = 1
    return ids, mask


def export_sentence_model(
    encoder: nn.Module,
    pooling: Union[str, Sequence[str]],
    dense: Union[None, nn.Module, Sequence[nn.Module]],
    normalize: bool,
    vocab_path: str,
    lowercase: bool,
    max_length: int,
    out_path: str,
    name: str,
    *,
    strip_accents: Optional[bool] = None,
    version: Optional[str] = None,
    description: Optional[str] = None,
    script: bool = False,
    verify: bool = True,
    quantization: Optional[str] = None,
) -> Dict[str, Any]:
    """Write ``out_path``; returns the acg2vec.json written.

    ``pooling``: "mean", "cls", "max", "mean_sqrt_len_tokens", "lasttoken", or several (their
    vectors are concatenated in sentence-transformers' order). ``dense``: modules applied to the
    pooled vector in turn (each Linear + activation, as sentence-transformers' Dense).
    ``lowercase`` / ``strip_accents`` / ``max_length`` describe the WordPiece tokenizer
    (``max_length`` counts [CLS] and [SEP]); ``strip_accents`` defaults to ``lowercase``.
    ``quantization="dynamic_int8"`` stores int8 linear layers (acg2vec_export.quantize_module).
    """
    modes = [pooling] if isinstance(pooling, str) else list(pooling)
    for mode in modes:
        if mode not in POOLING_MODES:
            raise ValueError(f"pooling '{mode}' is not one of {', '.join(POOLING_MODES)}")
    modes.sort(key=POOLING_MODES.index)
    if dense is None:
        dense = []
    elif isinstance(dense, nn.Module):
        dense = [dense]
    fp32_model = SentenceEncoder(encoder.eval(), modes, [d.eval() for d in dense], normalize).eval()
    model = ax.quantize_module(fp32_model, quantization)
    vocab = _vocab(vocab_path)
    for special in ("[UNK]", "[CLS]", "[SEP]", "[PAD]"):
        if special not in vocab:
            raise ValueError(f"{vocab_path}: no {special}")

    ids, mask = example_batch([9, 5], vocab, seed=1)
    with torch.no_grad():
        dims = int(model(ids, mask).shape[-1])
        module = torch.jit.script(model) if script else torch.jit.trace(model, (ids, mask), check_trace=False)

    metadata: Dict[str, Any] = {"schema_version": ax.SCHEMA_VERSION, "name": name, "task": "embedder"}
    if quantization:
        metadata["quantization"] = quantization
    if version:
        metadata["version"] = version
    metadata["description"] = description or f"sentence embedder {name}: {'+'.join(modes)} pooling, {dims}-d"
    metadata["methods"] = {
        "text": ax.method_spec(
            "forward",
            [ax.tensor_spec("input_ids", [-1], "int64"), ax.tensor_spec("attention_mask", [-1], "int64")],
            [ax.tensor_spec("sentence_embedding", [dims])]),
    }
    metadata["embedder"] = {
        "text_output": "sentence_embedding",
        "text_pooling": "none",
        "tokenizer": {
            "type": "wordpiece",
            "vocab": "vocab.txt",
            "lowercase": bool(lowercase),
            "strip_accents": bool(lowercase if strip_accents is None else strip_accents),
            "max_length": int(max_length),
        },
    }
    ax.save_model(module, out_path, metadata, {"vocab.txt": ax.file_bytes(vocab_path)})

    if verify:  # other batch sizes and lengths than the trace saw, padded and not
        calls, moved = [], []
        for lengths, seed in (([13, 4, 8], 2), ([6], 3), ([min(int(max_length), 40)] * 2, 4)):
            check_ids, check_mask = example_batch(lengths, vocab, seed)
            with torch.no_grad():
                calls.append(("forward", (check_ids, check_mask), model(check_ids, check_mask)))
                moved.append((f"texts of {lengths} tokens", fp32_model(check_ids, check_mask), calls[-1][2]))
        ax.quantization_report(out_path, quantization, moved)
        ax.check_saved(out_path, calls, first_calls=[("forward", (ids, mask))])
    return metadata


# --------------------------------------------------------------------------------------------
# CLI: sentence-transformers (imported lazily)


class HFEncoder(nn.Module):
    """A transformers AutoModel as encoder(input_ids, attention_mask) -> last hidden state."""

    def __init__(self, auto_model: nn.Module):
        super().__init__()
        self.auto_model = auto_model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        out = self.auto_model(input_ids=input_ids, attention_mask=attention_mask, return_dict=False)
        return out[0]


def _eager_attention(auto_model: nn.Module) -> None:
    """SDPA paths may drop an all-ones mask under tracing; eager attention always applies it."""
    setter = getattr(auto_model, "set_attn_implementation", None)
    if callable(setter):
        try:
            setter("eager")
            return
        except Exception:  # noqa: BLE001 - older/newer transformers differ; fall back below
            pass
    config = getattr(auto_model, "config", None)
    if config is not None and hasattr(config, "_attn_implementation"):
        try:
            config._attn_implementation = "eager"  # noqa: SLF001
        except Exception:  # noqa: BLE001
            pass


def _from_sentence_transformers(args: argparse.Namespace) -> None:
    from sentence_transformers import SentenceTransformer  # noqa: PLC0415 - lazy on purpose

    st = SentenceTransformer(args.sentence_transformers, device="cpu")
    st.eval()
    modules = list(st._modules.values())  # noqa: SLF001 - the pipeline, in order
    print("sentence-transformers pipeline:\n" + "\n".join(f"  {m}" for m in modules))
    transformer = modules[0]
    if type(transformer).__name__ != "Transformer":
        raise SystemExit(f"the first module is {type(transformer).__name__}, expected Transformer")
    modes: List[str] = []
    dense: List[nn.Module] = []
    normalize = False
    for m in modules[1:]:
        kind = type(m).__name__
        if kind == "Pooling":
            flags = [("cls", "pooling_mode_cls_token"), ("max", "pooling_mode_max_tokens"),
                     ("mean", "pooling_mode_mean_tokens"), ("mean_sqrt_len_tokens", "pooling_mode_mean_sqrt_len_tokens"),
                     ("lasttoken", "pooling_mode_lasttoken")]
            modes = [mode for mode, flag in flags if getattr(m, flag, False)]
            if getattr(m, "pooling_mode_weightedmean_tokens", False):
                raise SystemExit("weightedmean pooling is not supported")
            if not modes:
                raise SystemExit(f"no pooling mode found in {m}")
        elif kind == "Dense":
            if dense or modes:
                dense.append(nn.Sequential(m.linear, m.activation_function))
            else:
                raise SystemExit("Dense before Pooling is not supported")
        elif kind == "Normalize":
            normalize = True
        else:
            raise SystemExit(f"module {kind} is not supported (Transformer, Pooling, Dense, Normalize)")
    if not modes:
        raise SystemExit("the pipeline has no Pooling module")

    tokenizer = transformer.tokenizer
    kwargs = dict(getattr(tokenizer, "init_kwargs", {}) or {})
    if "Bert" not in type(tokenizer).__name__:
        raise SystemExit(f"tokenizer {type(tokenizer).__name__} is not WordPiece (BERT/DistilBERT)")
    if not kwargs.get("tokenize_chinese_chars", True):
        print("warning: tokenize_chinese_chars is off; acg2vec always splits CJK ideographs")
    tokenizer_lower = bool(kwargs.get("do_lower_case", getattr(tokenizer, "do_lower_case", False)))
    strip = kwargs.get("strip_accents")
    strip_accents = tokenizer_lower if strip is None else bool(strip)
    lowercase = bool(getattr(transformer, "do_lower_case", False)) or tokenizer_lower
    max_length = int(transformer.max_seq_length or tokenizer.model_max_length)
    positions = getattr(transformer.auto_model.config, "max_position_embeddings", max_length)
    if max_length > positions:
        raise SystemExit(f"max_seq_length {max_length} exceeds the model's {positions} positions")

    auto_model = transformer.auto_model.eval()
    _eager_attention(auto_model)
    name = args.name or os.path.basename(args.sentence_transformers.rstrip("/")).lower()
    with tempfile.TemporaryDirectory() as tmp:
        saved = [p for p in tokenizer.save_vocabulary(tmp) if os.path.basename(p) == "vocab.txt"]
        if not saved:
            raise SystemExit("the tokenizer did not write a vocab.txt")
        meta = export_sentence_model(
            HFEncoder(auto_model), modes, dense, normalize, saved[0], lowercase, max_length, args.out, name,
            strip_accents=strip_accents, version=args.version, quantization=args.quantize,
            description=args.description or f"sentence-transformers {args.sentence_transformers} "
                                            f"({type(auto_model).__name__}, {'+'.join(modes)} pooling, "
                                            f"{len(dense)} Dense{', normalized' if normalize else ''})")

    sentences = ["This is an example sentence", "初音ミクは緑の髪のツインテール", "Привет, мир!"]
    features = st.tokenize(sentences)
    with torch.no_grad():
        ours = torch.jit.load(args.out)(features["input_ids"], features["attention_mask"])
        theirs = st.encode(sentences, convert_to_tensor=True, normalize_embeddings=False)
    cos = F.cosine_similarity(ours, theirs.to(ours.dtype), dim=1)
    print(f"vs SentenceTransformer.encode: cosine min {float(cos.min()):.6f}")
    tok = meta["embedder"]["tokenizer"]
    print(f"wrote {args.out}: {name}, {meta['methods']['text']['outputs'][0]['shape'][0]}-d, "
          f"lowercase {tok['lowercase']}, strip_accents {tok['strip_accents']}, max_length {tok['max_length']}")


def main(argv: Optional[Sequence[str]] = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentence-transformers", required=True, metavar="NAME_OR_PATH",
                    help="a sentence-transformers model id or directory")
    ap.add_argument("--out", required=True, help="output .pt")
    ap.add_argument("--name", help="model name recorded in acg2vec.json")
    ap.add_argument("--version")
    ap.add_argument("--description")
    ax.add_quantization_option(ap)
    _from_sentence_transformers(ap.parse_args(argv))


if __name__ == "__main__":
    main()
