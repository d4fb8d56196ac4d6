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
