"""Normalisation, shingling and MinHash signatures against exact Jaccard."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from dedup_fixtures import PARAGRAPHS, edit_words

from dedup.exact import exact_hashes
from dedup.minhash import MinhashParams, estimated_jaccard, jaccard, shingle, signatures
from dedup.normalize import normalize, words


def test_normalize_folds_case_space_apostrophes_and_punt_volat():
    out = normalize(pa.array(["L’Ajuntament  del\tCOL.LEGI", "Cafe\u0301 12", None])).to_pylist()
    assert out == ["l'ajuntament del col·legi", "café 12", ""]
    assert normalize(pa.array(["Any 2024"]), fold_digits=True).to_pylist() == ["any 0000"]


def test_words_split_elisions_and_keep_geminated_l():
    flat, offsets = words(normalize(pa.array(["L'escola, del col·legi!", "", "Kaixo"])))
    assert flat.to_pylist() == ["l", "escola", "del", "col·legi", "kaixo"]
    assert offsets.tolist() == [0, 4, 4, 5]


def test_exact_hash_equal_after_normalisation_only():
    hi, lo = exact_hashes(pa.array(["Hola  Món", "hola món", "hola mon"]))
    assert (hi[0], lo[0]) == (hi[1], lo[1])
    assert (hi[0], lo[0]) != (hi[2], lo[2])


def _sets(texts: list[str], params: MinhashParams) -> list[set[int]]:
    sh = shingle(pa.array(texts), params)
    return [set(sh.hashes[sh.offsets[i] : sh.offsets[i + 1]].tolist()) for i in range(len(texts))]


def test_signature_estimates_exact_jaccard_within_sampling_error():
    params = MinhashParams(num_perm=256)
    base = " ".join(PARAGRAPHS)
    variants = [edit_words(base, changes=k, seed=k) for k in (1, 3, 6, 10, 20, 40)]
    texts = [base, *variants]
    sets = _sets(texts, params)
    sig = signatures(shingle(pa.array(texts), params), params)
    errors = []
    for i in range(1, len(texts)):
        exact = jaccard(sets[0], sets[i])
        est = float(estimated_jaccard(sig[0], sig[i]))
        std = np.sqrt(exact * (1 - exact) / params.num_perm)
        assert abs(est - exact) <= 4 * std + 0.01, (i, exact, est)
        errors.append(est - exact)
    assert abs(np.mean(errors)) < 0.03  # unbiased on average


def test_signatures_do_not_depend_on_batch_or_block_boundaries(monkeypatch):
    import dedup.minhash as mh

    params = MinhashParams()
    texts = [PARAGRAPHS[i % len(PARAGRAPHS)] + f" {i}" for i in range(30)]
    whole = signatures(shingle(pa.array(texts), params), params)
    monkeypatch.setattr(mh, "BLOCK_SHINGLES", 7)  # blocks cut through documents
    blocked = mh.signatures(shingle(pa.array(texts), params), params)
    one_by_one = np.vstack([signatures(shingle(pa.array([t]), params), params) for t in texts])
    assert np.array_equal(whole, blocked)
    assert np.array_equal(whole, one_by_one)


def test_short_and_empty_documents_match_only_their_exact_words():
    params = MinhashParams()
    texts = ["", None, "hola", "Hola!", "adeu", "tres paraules curtes", "tres paraules curtes"]
    sh = shingle(pa.array(texts), params)
    assert sh.short.all()
    assert np.diff(sh.offsets).tolist() == [1] * len(texts)
    sig = signatures(sh, params)
    same = [(0, 1), (2, 3), (5, 6)]
    different = [(0, 2), (2, 4), (4, 5)]
    for a, b in same:
        assert estimated_jaccard(sig[a], sig[b]) == 1.0
    for a, b in different:
        assert estimated_jaccard(sig[a], sig[b]) < 0.1


def test_five_megabyte_document_is_signed_in_bounded_blocks():
    params = MinhashParams()
    big = (" ".join(PARAGRAPHS) + " ") * (5_000_000 // (len(" ".join(PARAGRAPHS)) + 1) + 1)
    assert len(big) >= 5_000_000
    sh = shingle(pa.array([big, PARAGRAPHS[0]]), params)
    sig = signatures(sh, params)
    assert sig.shape == (2, params.num_perm)
    # the big document repeats its paragraphs, so it contains all shingles of PARAGRAPHS[0]...
    assert 0.0 < estimated_jaccard(sig[0], sig[1]) < 0.5


def test_word_hashes_find_the_words_of_the_regex_path():
    from dedup.hashing import hash_strings
    from dedup.normalize import word_hashes

    long_word = "x" * 70 + "ç" * 10  # past the 64 bytes hashed in numpy
    texts = pa.array(
        [
            "L’Ajuntament  del\tCOL.LEGI, l'escola!",
            "Cafe\u0301 12 m² ½ ٣",  # combining accent (NFC), non-ASCII numerals
            None,
            "",
            "😀emoji😀 𝒜bc İstanbul ΣΑΣ",  # supplementary planes, special lower-casing
            f"{long_word} {long_word}y",
            "x·y col•legi --- 2024-05-01",
        ]
        + PARAGRAPHS
    )
    for fold in (False, True):
        flat, offsets = words(normalize(texts, fold_digits=fold))
        got, got_offsets = word_hashes(texts, fold_digits=fold, seed=3)
        assert got_offsets.tolist() == offsets.tolist()
        assert got.tolist() == hash_strings(flat, seed=3).tolist()
    # a word hashes the same wherever it is, and differently with another seed
    h, _ = word_hashes(pa.array(["hola món", "món hola"]))
    assert h[0] == h[3] and h[1] == h[2] and h[0] != h[1]
    assert word_hashes(pa.array(["hola"]), seed=1)[0][0] != word_hashes(pa.array(["hola"]), seed=2)[0][0]


def test_hash_spans_sees_every_byte():
    from dedup.hashing import hash_strings

    words_ = ["a" * k for k in range(1, 140)] + [
        "ab" * 40,
        "ab" * 39 + "ac",
        "abcdefgh",
        "abcdefgi",
        "\x00",
        "\x00\x00",
    ]
    h = hash_strings(pa.array(words_))
    assert len(set(h.tolist())) == len(words_)
    again = hash_strings(pa.array(["zz", *words_]).slice(1))  # offsets that do not start at 0
    assert again.tolist() == h.tolist()


def test_spans_past_64_bytes_hash_as_mixed_xxh3():
    """Long spans keep the hash an index written earlier holds: splitmix64 of their xxh3-64."""
    import xxhash

    from dedup.hashing import hash_strings, mix64

    texts = ["x" * 65, "ç" * 40, "a" * 64, "b" * 300, "hola"]
    h = hash_strings(pa.array(texts), seed=5)
    long = [xxhash.xxh3_64_intdigest(t.encode("utf-8"), 5) for t in texts if len(t.encode("utf-8")) > 64]
    assert h[[0, 1, 3]].tolist() == mix64(np.array(long, dtype=np.uint64)).tolist()
    assert len(set(h.tolist())) == len(texts)


def test_signatures_are_stable_across_runs():
    """The index depends on it: same text, same signature, in any batch and process."""
    params = MinhashParams()
    sig = signatures(shingle(pa.array([PARAGRAPHS[0]]), params), params)
    again = signatures(shingle(pa.array([PARAGRAPHS[1], PARAGRAPHS[0]]), params), params)
    assert np.array_equal(sig[0], again[1])
    assert sig.dtype == np.uint32 and sig.shape == (1, params.num_perm)


def test_normalize_makes_every_run_of_whitespace_one_space():
    import random

    import pyarrow.compute as pc

    rng = random.Random(5)
    texts = pa.array(
        ["".join(rng.choices(list(" \t\n\r\f\x0b\u00a0\u2003ab’"), k=rng.randint(0, 14))) for _ in range(5000)]
    )
    lowered = pc.replace_substring_regex(pc.utf8_lower(texts), r"[’‘ʼ´`]", "'")
    expected = pc.utf8_trim_whitespace(pc.replace_substring_regex(lowered, r"\s+", " "))
    assert normalize(texts).to_pylist() == expected.to_pylist()
