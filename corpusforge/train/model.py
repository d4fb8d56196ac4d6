"""A decoder-only transformer in one file: RMSNorm, rotary position embeddings, SwiGLU, tied embeddings.

The block is the Llama recipe without grouped-query attention:

    x = x + Attention(RMSNorm(x))      causal, rotary on q and k, PyTorch's fused SDPA kernel
    x = x + SwiGLU(RMSNorm(x))         W2(silu(W1 x) * W3 x), hidden = 8/3 d rounded up to 64

Cost per token (used for MFU): 6 * N_matmul + 12 * n_layers * d_model * seq_len FLOPs for forward and
backward, where N_matmul counts the weights that take part in matrix multiplies (blocks and the output
projection; the embedding lookup is free).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from corpusforge.train.config import ModelConfig


def padded_vocab(config: ModelConfig) -> int:
    """The embedding table's rows: vocab_size rounded up to vocab_multiple_of."""
    m = config.vocab_multiple_of
    return (config.vocab_size + m - 1) // m * m


def ffn_width(config: ModelConfig) -> int:
    if config.ffn_hidden:
        return config.ffn_hidden
    return (8 * config.d_model // 3 + 63) // 64 * 64


class RMSNorm(nn.Module):
    """Scale by the root mean square; no mean subtraction, no bias (cheaper than LayerNorm)."""

    def __init__(self, dim: int, *, eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Normalise in fp32: under bf16 autocast the mean of squares would lose precision.
        xf = x.float()
        xf = xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)
        return xf.type_as(x) * self.weight


def rotary_tables(*, head_dim: int, max_seq_len: int, theta: float) -> tuple[torch.Tensor, torch.Tensor]:
    """cos and sin of shape (max_seq_len, head_dim/2): position t rotates pair i by t * theta^(-2i/d)."""
    inv_freq = 1.0 / theta ** (torch.arange(0, head_dim, 2, dtype=torch.float32) / head_dim)
    angles = torch.outer(torch.arange(max_seq_len, dtype=torch.float32), inv_freq)
    return angles.cos(), angles.sin()


def apply_rotary(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Rotate (B, H, T, D) by position; pairs are the two halves of the head (the GPT-NeoX layout)."""
    half = x.shape[-1] // 2
    x1, x2 = x[..., :half], x[..., half:]
    cos, sin = cos[: x.shape[-2]].to(x.dtype), sin[: x.shape[-2]].to(x.dtype)
    return torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)


class Attention(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.n_heads = config.n_heads
        self.head_dim = config.d_model // config.n_heads
        self.qkv = nn.Linear(config.d_model, 3 * config.d_model, bias=False)
        self.out = nn.Linear(config.d_model, config.d_model, bias=False)
        self.dropout = config.dropout

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k = apply_rotary(q, cos, sin), apply_rotary(k, cos, sin)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0)
        return self.out(y.transpose(1, 2).reshape(b, t, d))


class SwiGLU(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        hidden = ffn_width(config)
        self.gate = nn.Linear(config.d_model, hidden, bias=False)
        self.up = nn.Linear(config.d_model, hidden, bias=False)
        self.down = nn.Linear(hidden, config.d_model, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down(F.silu(self.gate(x)) * self.up(x))


class Block(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.attn_norm = RMSNorm(config.d_model, eps=config.norm_eps)
        self.attn = Attention(config)
        self.ffn_norm = RMSNorm(config.d_model, eps=config.norm_eps)
        self.ffn = SwiGLU(config)
        self.drop = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
        x = x + self.drop(self.attn(self.attn_norm(x), cos, sin))
        return x + self.drop(self.ffn(self.ffn_norm(x)))


class Transformer(nn.Module):
    """Token ids (B, T) -> logits (B, T, padded_vocab); with targets, also the mean cross-entropy."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        if config.vocab_size <= 0:
            raise ValueError("model.vocab_size must be set (load_config fills it from the data manifest)")
        self.config = config
        vocab = padded_vocab(config)
        self.embed = nn.Embedding(vocab, config.d_model)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.n_layers))
        self.norm = RMSNorm(config.d_model, eps=config.norm_eps)
        self.lm_head = nn.Linear(config.d_model, vocab, bias=False)
        if config.tie_embeddings:
            self.lm_head.weight = self.embed.weight
        cos, sin = rotary_tables(
            head_dim=config.d_model // config.n_heads, max_seq_len=config.max_seq_len, theta=config.rope_theta
        )
        # Not parameters and not saved: rebuilt from the config, so checkpoints stay small.
        self.register_buffer("rope_cos", cos, persistent=False)
        self.register_buffer("rope_sin", sin, persistent=False)
        self.apply(self._init_weights)
        # GPT-2's scaled init for projections that write into the residual stream keeps its variance
        # from growing with depth.
        for name, p in self.named_parameters():
            if name.endswith(("attn.out.weight", "ffn.down.weight")):
                nn.init.normal_(p, mean=0.0, std=0.02 / math.sqrt(2 * config.n_layers))

    @staticmethod
    def _init_weights(module: nn.Module) -> None:
        if isinstance(module, nn.Linear | nn.Embedding):
            nn.init.normal_(module.weight, mean=0.0, std=0.02)

    def forward(
        self, idx: torch.Tensor, targets: torch.Tensor | None = None
    ) -> tuple[torch.Tensor, torch.Tensor | None]:
        if idx.shape[1] > self.config.max_seq_len:
            raise ValueError(f"sequence of {idx.shape[1]} tokens exceeds max_seq_len={self.config.max_seq_len}")
        x = self.embed(idx)
        for block in self.blocks:
            x = block(x, self.rope_cos, self.rope_sin)
        logits = self.lm_head(self.norm(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.float().view(-1, logits.shape[-1]), targets.reshape(-1))
        return logits, loss

    def num_params(self, *, matmul_only: bool = False) -> int:
        """All parameters (tied weights once), or only those in matrix multiplies (for FLOP counts)."""
        total = sum(p.numel() for p in self.parameters())
        if matmul_only:
            total -= sum(p.numel() for n, p in self.named_parameters() if "norm" in n)
            if not self.config.tie_embeddings:
                total -= self.embed.weight.numel()  # an untied lookup table costs no FLOPs
        return total

    def flops_per_token(self, seq_len: int) -> float:
        """Forward + backward FLOPs per trained token (PaLM appendix B): 6N + 12 L d T."""
        c = self.config
        return 6.0 * self.num_params(matmul_only=True) + 12.0 * c.n_layers * c.d_model * seq_len

    @torch.no_grad()
    def generate(
        self,
        idx: torch.Tensor,
        *,
        max_new_tokens: int,
        temperature: float = 0.8,
        top_k: int | None = 50,
        stop_id: int | None = None,
        generator: torch.Generator | None = None,
    ) -> torch.Tensor:
        """Sample continuations of (1, T) ids; recomputes the window each step (no KV cache: short samples)."""
        vocab = self.config.vocab_size
        for _ in range(max_new_tokens):
            window = idx[:, -self.config.max_seq_len :]
            logits, _ = self(window)
            logits = logits[:, -1, :vocab].float()  # padded ids never appear in the data: never sample them
            if temperature <= 0:
                nxt = logits.argmax(-1, keepdim=True)
            else:
                logits = logits / temperature
                if top_k:
                    kth = torch.topk(logits, min(top_k, vocab)).values[:, -1:]
                    logits = logits.masked_fill(logits < kth, float("-inf"))
                nxt = torch.multinomial(F.softmax(logits, dim=-1), 1, generator=generator)
            idx = torch.cat((idx, nxt), dim=1)
            if stop_id is not None and int(nxt[0, 0]) == stop_id:
                break
        return idx
