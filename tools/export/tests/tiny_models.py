"""Small randomly initialised models with the structure of the real ones (pure torch).

* :class:`TinyCLIP` - open_clip / openai CLIP: a ViT image tower (conv patch embedding, class
  token, positional embedding, ln_pre, pre-LN transformer blocks with QuickGELU, ln_post on the
  class token, proj) and a causal text transformer (token + positional embedding, causal
  mask, ln_final, the state at ``ids.argmax(-1)`` - the EOT token, the largest id - times
  text_projection), ``logit_scale`` stored as a log.
* :class:`TinyDistilBert` - a DistilBERT-like encoder (word + position embeddings, LayerNorm,
  post-LN blocks whose attention ignores masked keys) returning token states [N, L, H].
* :class:`TinyTagger` - a ViT-like classifier (patch embedding, positional embedding, pre-LN
  blocks, average pooling, fc_norm, a head with one logit per WD v3 label).

Every width is tiny so the whole test set builds in seconds on a CPU. Build them under
``torch.manual_seed`` for deterministic weights.
"""

from __future__ import annotations

import math
from typing import Optional

import torch
from torch import nn

CLIP_VOCAB = 49408
CLIP_CONTEXT = 77
BERT_MULTILINGUAL_VOCAB = 119547
WD_V3_LABELS = 10861


class QuickGELU(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class Attention(nn.Module):
    """Multi-head self-attention; ``bias`` is added to the scores (masks)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.head_dim = width // heads
        self.qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x: torch.Tensor, bias: Optional[torch.Tensor] = None) -> torch.Tensor:
        n, length, width = x.shape
        qkv = self.qkv(x).reshape(n, length, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim)
        if bias is not None:
            scores = scores + bias
        weights = scores.softmax(dim=-1)
        y = torch.matmul(weights, v).transpose(1, 2).reshape(n, length, width)
        return self.out(y)


class PreLNBlock(nn.Module):
    """CLIP's residual attention block: x + attn(ln_1(x)); x + mlp(ln_2(x))."""

    def __init__(self, width: int, heads: int, act: nn.Module):
        super().__init__()
        self.ln_1 = nn.LayerNorm(width)
        self.attn = Attention(width, heads)
        self.ln_2 = nn.LayerNorm(width)
        self.mlp = nn.Sequential(nn.Linear(width, 4 * width), act, nn.Linear(4 * width, width))

    def forward(self, x: torch.Tensor, bias: Optional[torch.Tensor] = None) -> torch.Tensor:
        x = x + self.attn(self.ln_1(x), bias)
        return x + self.mlp(self.ln_2(x))


class VisionTransformer(nn.Module):
    def __init__(self, image_size: int, patch: int, width: int, layers: int, heads: int, output_dim: int):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch, stride=patch, bias=False)
        scale = width ** -0.5
        tokens = (image_size // patch) ** 2 + 1
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn(tokens, width))
        self.ln_pre = nn.LayerNorm(width)
        self.blocks = nn.ModuleList([PreLNBlock(width, heads, QuickGELU()) for _ in range(layers)])
        # Sharper attention than the default init: the class token then depends on where things
        # are in the image, so a crop one pixel off or a wrong filter changes the vector by more
        # than the tests' tolerance (cosine 0.9999), while one 8-bit level on 10 % of the pixels
        # stays below it.
        with torch.no_grad():
            for block in self.blocks:
                block.attn.qkv.weight[: 2 * width].mul_(5.0)
        self.ln_post = nn.LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.conv1(pixels)                       # [N, W, g, g]
        x = x.flatten(2).transpose(1, 2)             # [N, g*g, W]
        cls = self.class_embedding.to(x.dtype).expand(x.shape[0], 1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding
        x = self.ln_pre(x)
        for block in self.blocks:
            x = block(x)
        return self.ln_post(x[:, 0]) @ self.proj


class TextTransformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int, output_dim: int,
                 vocab: int = CLIP_VOCAB, context: int = CLIP_CONTEXT):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        nn.init.normal_(self.token_embedding.weight, std=0.02 * 10)
        self.positional_embedding = nn.Parameter(0.1 * torch.randn(context, width))
        self.blocks = nn.ModuleList([PreLNBlock(width, heads, QuickGELU()) for _ in range(layers)])
        self.ln_final = nn.LayerNorm(width)
        self.text_projection = nn.Parameter(width ** -0.5 * torch.randn(width, output_dim))
        mask = torch.full((context, context), float("-inf")).triu(1)
        self.register_buffer("attn_mask", mask, persistent=False)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        x = self.token_embedding(ids) + self.positional_embedding
        for block in self.blocks:
            x = block(x, self.attn_mask)
        x = self.ln_final(x)
        eot = x[torch.arange(x.shape[0]), ids.argmax(dim=-1)]
        return eot @ self.text_projection


class TinyCLIP(nn.Module):
    """encode_image(pixels [N,3,S,S]) and encode_text(ids [N,77]) -> [N, embed_dim]."""

    def __init__(self, image_size: int = 48, patch: int = 8, vision_width: int = 48, text_width: int = 32,
                 layers: int = 2, heads: int = 4, embed_dim: int = 32):
        super().__init__()
        self.image_size = image_size
        self.visual = VisionTransformer(image_size, patch, vision_width, layers, heads, embed_dim)
        self.transformer = TextTransformer(text_width, layers, heads, embed_dim)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))

    def encode_image(self, pixels: torch.Tensor) -> torch.Tensor:
        return self.visual(pixels)

    def encode_text(self, ids: torch.Tensor) -> torch.Tensor:
        return self.transformer(ids)


class PostLNBlock(nn.Module):
    """DistilBERT's TransformerBlock: LN(x + attn(x)); LN(x + ffn(x))."""

    def __init__(self, width: int, heads: int, hidden: int):
        super().__init__()
        self.attention = Attention(width, heads)
        self.sa_layer_norm = nn.LayerNorm(width, eps=1e-12)
        self.ffn = nn.Sequential(nn.Linear(width, hidden), nn.GELU(), nn.Linear(hidden, width))
        self.output_layer_norm = nn.LayerNorm(width, eps=1e-12)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        x = self.sa_layer_norm(x + self.attention(x, bias))
        return self.output_layer_norm(x + self.ffn(x))


class TinyDistilBert(nn.Module):
    """forward(input_ids [N,L], attention_mask [N,L]) -> token states [N, L, H]."""

    def __init__(self, vocab: int = BERT_MULTILINGUAL_VOCAB, width: int = 32, layers: int = 2, heads: int = 4,
                 max_positions: int = 512):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, width)
        self.position_embeddings = nn.Embedding(max_positions, width)
        self.LayerNorm = nn.LayerNorm(width, eps=1e-12)
        self.layer = nn.ModuleList([PostLNBlock(width, heads, 4 * width) for _ in range(layers)])

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.position_embeddings(positions)
        x = self.LayerNorm(x)
        # masked keys get the most negative float, as DistilBERT's masked_fill does
        masked = (attention_mask == 0)[:, None, None, :]
        bias = torch.zeros(masked.shape, dtype=x.dtype).masked_fill(masked, torch.finfo(x.dtype).min)
        for block in self.layer:
            x = block(x, bias)
        return x


class TinyDense(nn.Module):
    """sentence-transformers' Dense: activation(linear(x))."""

    def __init__(self, in_features: int, out_features: int):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.activation_function = nn.Tanh()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.activation_function(self.linear(x))


class TinyTagger(nn.Module):
    """forward(pixels [N,3,S,S]) -> logits [N, 10861] (a timm-style ViT classifier)."""

    def __init__(self, image_size: int = 64, patch: int = 8, width: int = 32, layers: int = 2, heads: int = 4,
                 classes: int = WD_V3_LABELS):
        super().__init__()
        self.patch_embed = nn.Conv2d(3, width, kernel_size=patch, stride=patch)
        self.pos_embed = nn.Parameter(0.5 * torch.randn((image_size // patch) ** 2, width))
        self.blocks = nn.ModuleList([PreLNBlock(width, heads, nn.GELU()) for _ in range(layers)])
        self.norm = nn.LayerNorm(width)
        self.fc_norm = nn.LayerNorm(width)
        self.head = nn.Linear(width, classes)
        # spread the logits so the probabilities cover (0, 1) rather than sit at 0.5
        nn.init.normal_(self.head.weight, std=3.0 / math.sqrt(width))
        nn.init.normal_(self.head.bias, std=1.0)

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        x = self.patch_embed(pixels).flatten(2).transpose(1, 2) + self.pos_embed
        for block in self.blocks:
            x = block(x)
        x = self.norm(x)
        return self.head(self.fc_norm(x.mean(dim=1)))


def make_tiny_clip(seed: int = 0) -> TinyCLIP:
    torch.manual_seed(seed)
    return TinyCLIP().eval()


def make_tiny_sentence(seed: int = 1):
    """(encoder, dense): hidden 32 -> Dense 32 -> 16 with tanh (distiluse: 768 -> 512 tanh)."""
    torch.manual_seed(seed)
    encoder = TinyDistilBert().eval()
    dense = TinyDense(32, 16).eval()
    return encoder, dense


def make_tiny_tagger(seed: int = 2) -> TinyTagger:
    torch.manual_seed(seed)
    return TinyTagger().eval()


__all__ = ["TinyCLIP", "TinyDistilBert", "TinyDense", "TinyTagger", "make_tiny_clip", "make_tiny_sentence",
           "make_tiny_tagger"]
