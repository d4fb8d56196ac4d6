"""Train a byte-level BPE tokenizer on a language-balanced sample, and measure its fertility.

Balance: a corpus of web text is mostly Spanish; trained on it as is, a tokenizer spends its
vocabulary on Spanish and splits Basque and Galician words into many pieces. We sample each
`lang_tag` with probability p_l proportional to c_l ** (1 / T), where c_l is its share of
characters (T = 1: as found; T -> infinity: uniform; XLM-R used T ~ 3.3). Languages with fewer
characters than their share are repeated, up to `max_upsample` times.

Held-out text: a document whose content hash falls in the first `heldout_permille` per mille
never enters training, so `report` can measure fertility (tokens per whitespace-separated word)
on text the tokenizer has not seen, on the same input, without a second file.

Normalisation is NFC (so "à" typed as a + U+0300 and as U+00E0 give the same tokens); the
pre-tokenizer keeps Catalan "l·l" and elided "l'aigua" inside one word, groups digits by three,
then maps bytes to symbols (byte-level: every string round-trips, emoji and CJK included).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import xxhash

from corpusforge.pack.sources import count_by_lang, read_docs

BOS, EOS, PAD = "<|bos|>", "<|eos|>", "<|pad|>"
SPECIAL_TOKENS = (BOS, EOS, PAD)
TOKENIZER_FILE = "tokenizer.json"
META_FILE = "tokenizer_meta.json"
_HELDOUT_SEED = 0x5EED  # fixed, so train and report agree on the held-out documents
# Words (letters and marks, with Catalan middle dot and elision apostrophes inside), digits in
# threes, punctuation runs, newlines, other spaces. Unmatched text is kept (isolated split).
PRETOKENIZE_PATTERN = (
    r" ?[\p{L}\p{M}]+(?:[·'’][\p{L}\p{M}]+)*"
    r"| ?\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{M}\p{N}]+[\r\n]*"
    r"|\s*[\r\n]+"
    r"|\s+(?!\S)"
    r"|\s+"
)


class TokenizerError(ValueError):
    """A tokenizer directory that is missing, unreadable or lacks the special tokens."""


def new_tokenizer() -> Any:
    """An untrained byte-level BPE with NFC normalisation and our pre-tokenizer."""
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers

    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(PRETOKENIZE_PATTERN), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    return tok


def temperature_weights(chars: dict[str, int], *, temperature: float) -> dict[str, float]:
    """Sampling probability per language: share ** (1 / temperature), renormalised.

    >>> w = temperature_weights({"es": 900, "eu": 100}, temperature=1.0); round(w["eu"], 2)
    0.1
    >>> w = temperature_weights({"es": 900, "eu": 100}, temperature=3.0); round(w["eu"], 2)
    0.32
    """
    if temperature <= 0:
        raise ValueError("temperature must be > 0")
    total = sum(chars.values())
    if total == 0:
        return {k: 0.0 for k in chars}
    scaled = {k: (c / total) ** (1.0 / temperature) if c else 0.0 for k, c in chars.items()}
    norm = sum(scaled.values())
    return {k: v / norm for k, v in scaled.items()}


def unit_hash(text: str, *, seed: int) -> float:
    """A deterministic number in [0, 1) from a document's content."""
    return xxhash.xxh64_intdigest(text.encode("utf-8"), seed=seed) / 2.0**64


def is_heldout(text: str, *, heldout_permille: int) -> bool:
    return xxhash.xxh64_intdigest(text.encode("utf-8"), seed=_HELDOUT_SEED) % 1000 < heldout_permille


@dataclass
class SamplePlan:
    """How many copies of each language's documents go into the training sample."""

    rates: dict[str, float]  # expected copies per document, per lang_tag
    chars: dict[str, int]  # characters available per lang_tag (held-out included)
    weights: dict[str, float]  # target share per lang_tag
    sampled_chars: dict[str, int] = field(default_factory=dict)  # filled while sampling

    def copies(self, text: str, tag: str, *, seed: int) -> int:
        rate = self.rates.get(tag, 0.0)
        whole = math.floor(rate)
        return whole + (1 if unit_hash(text, seed=seed) < rate - whole else 0)


def plan_sample(
    chars: dict[str, int],
    *,
    sample_chars: int,
    temperature: float,
    max_upsample: float = 5.0,
    langs: list[str] | None = None,
) -> SamplePlan:
    """Per-language copy rates so the sample holds ~`sample_chars` characters in temperature shares."""
    chosen = {k: v for k, v in chars.items() if (langs is None or k in langs) and v > 0}
    weights = temperature_weights(chosen, temperature=temperature)
    rates = {k: min(max_upsample, sample_chars * w / chosen[k]) for k, w in weights.items()}
    return SamplePlan(rates=rates, chars=dict(chars), weights=weights)


def sample_texts(shards: list[str], plan: SamplePlan, *, seed: int, heldout_permille: int) -> Iterator[str]:
    """Stream the training sample: held-out documents skipped, others repeated per `plan`."""
    for shard in shards:
        for batch in read_docs(shard):
            for text, tag in zip(batch.texts, batch.tags, strict=True):
                if not text or is_heldout(text, heldout_permille=heldout_permille):
                    continue
                n = plan.copies(text, tag, seed=seed)
                if n:
                    plan.sampled_chars[tag] = plan.sampled_chars.get(tag, 0) + n * len(text)
                for _ in range(n):
                    yield text


def train(
    shards: list[str],
    *,
    out: str | Path,
    vocab_size: int,
    temperature: float = 3.0,
    sample_chars: int = 50_000_000,
    seed: int = 0,
    heldout_permille: int = 20,
    min_frequency: int = 2,
    langs: list[str] | None = None,
) -> dict[str, Any]:
    """Train on a temperature-balanced sample of `shards`; write `tokenizer.json` and its metadata.

    Cost: one pass over the text to count characters per language, one to stream the sample
    into the BPE trainer (memory ~ distinct pre-tokens, not sample size). `langs` restricts
    the sample to those tags (the Spanish-only baseline of `report`).
    """
    from tokenizers import trainers

    if vocab_size < 256 + len(SPECIAL_TOKENS):
        raise TokenizerError(f"vocab_size {vocab_size} is below the 256 byte symbols + {len(SPECIAL_TOKENS)} specials")
    counts = count_by_lang(shards)
    plan = plan_sample(
        {k: c for k, (_, c) in counts.items()}, sample_chars=sample_chars, temperature=temperature, langs=langs
    )
    if not plan.rates:
        raise TokenizerError(f"no text to train on (languages found: {sorted(counts)}, asked for: {langs})")
    tok = new_tokenizer()
    from tokenizers import pre_tokenizers

    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        min_frequency=min_frequency,
        special_tokens=list(SPECIAL_TOKENS),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(sample_texts(shards, plan, seed=seed, heldout_permille=heldout_permille), trainer=trainer)
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    tok.save(str(out_dir / TOKENIZER_FILE))
    meta = {
        "vocab_size": tok.get_vocab_size(),
        "special_tokens": {name: tok.token_to_id(name) for name in SPECIAL_TOKENS},
        "temperature": temperature,
        "seed": seed,
        "heldout_permille": heldout_permille,
        "sample_chars_target": sample_chars,
        "sampled_chars": dict(sorted(plan.sampled_chars.items())),
        "weights": {k: round(v, 6) for k, v in sorted(plan.weights.items())},
        "corpus_chars": {k: c for k, (_, c) in counts.items()},
        "inputs": shards,
    }
    import json

    (out_dir / META_FILE).write_text(json.dumps(meta, indent=1, ensure_ascii=False), encoding="utf-8")
    return meta


@dataclass(frozen=True)
class LoadedTokenizer:
    """A tokenizer file with the ids of its special tokens and the SHA-256 of the file."""

    tokenizer: Any
    path: Path
    sha256: str
    bos_id: int
    eos_id: int
    pad_id: int

    @property
    def vocab_size(self) -> int:
        return int(self.tokenizer.get_vocab_size())


def load(directory: str | Path) -> LoadedTokenizer:
    """Load `{directory}/tokenizer.json` (or the file itself) and check the special tokens exist."""
    from tokenizers import Tokenizer

    path = Path(directory)
    file = path if path.is_file() else path / TOKENIZER_FILE
    if not file.exists():
        raise TokenizerError(f"{file}: no tokenizer (train one with `corpusforge tokenizer train`)")
    data = file.read_bytes()
    tok = Tokenizer.from_str(data.decode("utf-8"))
    found = {name: tok.token_to_id(name) for name in SPECIAL_TOKENS}
    ids = {n: i for n, i in found.items() if i is not None}
    if len(ids) < len(found):
        missing = sorted(set(found) - set(ids))
        raise TokenizerError(f"{file}: special tokens {missing} are missing from the vocabulary")
    return LoadedTokenizer(
        tokenizer=tok,
        path=file,
        sha256=hashlib.sha256(data).hexdigest(),
        bos_id=ids[BOS],
        eos_id=ids[EOS],
        pad_id=ids[PAD],
    )
