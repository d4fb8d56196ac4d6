"""The transformer: causal, position-aware through rotary embeddings, tied or untied, counted right."""

from __future__ import annotations

import pytest
import torch

from corpusforge.train.config import ModelConfig
from corpusforge.train.model import RMSNorm, Transformer, apply_rotary, padded_vocab, rotary_tables


def _model(**kw) -> Transformer:
    torch.manual_seed(0)
    return Transformer(ModelConfig(vocab_size=100, d_model=32, n_layers=2, n_heads=4, max_seq_len=32, **kw)).eval()


def test_future_tokens_do_not_change_past_logits():
    model = _model()
    x = torch.randint(0, 100, (2, 16))
    y = x.clone()
    y[:, 10:] = torch.randint(0, 100, (2, 6))
    with torch.no_grad():
        a, _ = model(x)
        b, _ = model(y)
    torch.testing.assert_close(a[:, :10], b[:, :10])
    assert not torch.allclose(a[:, 10:], b[:, 10:])


def test_rotary_scores_depend_only_on_relative_position():
    cos, sin = rotary_tables(head_dim=8, max_seq_len=64, theta=10000.0)
    q, k = torch.randn(8), torch.randn(8)

    def score(i: int, j: int) -> float:
        qs = apply_rotary(q.expand(1, 1, 64, 8), cos, sin)[0, 0, i]
        ks = apply_rotary(k.expand(1, 1, 64, 8), cos, sin)[0, 0, j]
        return float(qs @ ks)

    assert score(10, 7) == pytest.approx(score(40, 37), rel=1e-4)
    assert score(10, 7) != pytest.approx(score(10, 2), rel=1e-3)


def test_tied_and_untied_embeddings():
    tied, untied = _model(), _model(tie_embeddings=False)
    assert tied.lm_head.weight is tied.embed.weight
    rows = padded_vocab(tied.config) * 32
    assert padded_vocab(tied.config) == 128  # 100 rounded up to a multiple of 64
    assert untied.num_params() - tied.num_params() == rows
    # An untied input table is a lookup: it adds parameters but no matmul FLOPs.
    assert untied.num_params(matmul_only=True) == tied.num_params(matmul_only=True)


def test_loss_at_init_is_near_uniform_and_padding_is_never_sampled():
    model = _model()
    x, y = torch.randint(0, 100, (4, 32)), torch.randint(0, 100, (4, 32))
    with torch.no_grad():
        _, loss = model(x, y)
    assert abs(float(loss) - torch.log(torch.tensor(128.0)).item()) < 0.5
    out = model.generate(x[:1, :4], max_new_tokens=20, temperature=2.0, top_k=None)
    assert out.shape == (1, 24) and int(out.max()) < 100


def test_rmsnorm_normalises_scale():
    norm = RMSNorm(16, eps=1e-6)
    x = torch.randn(3, 16) * 50
    y = norm(x)
    torch.testing.assert_close(y.pow(2).mean(-1), torch.ones(3), rtol=1e-3, atol=1e-3)
