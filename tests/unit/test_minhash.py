"""rasd's numpy MinHash equals datasketch's, bit for bit, so stored signatures stay valid.

Databases hold MinHash signatures and LSH band keys computed with datasketch (>= 2.0, scheme
"affine32", seed 1). rasd now computes them itself; a new article must still find its stored
duplicates, so the values must be exactly the same.
"""
from __future__ import annotations

import hashlib
import random

import numpy as np
import pytest
from datasketch import MinHash

from rasd.text.similarity import (
    DUP_PERMUTATIONS,
    STORY_PERMUTATIONS,
    Signature,
    minhash,
    shingles,
    vocabulary,
)
from tests.conftest import SEED_FILES

LETTERS = "ابتثجحخدذرسشصضطظعغفقكلمنهويةىءآأإ" + "abcdefghijklmnopqrstuvwxyz0123456789"


def datasketch_hashvalues(tokens: set[str], num_perm: int) -> np.ndarray:
    """What rasd stored before: datasketch's MinHash, as rasd built it."""
    reference = MinHash(num_perm=num_perm, seed=1, scheme="affine32")
    reference.update_batch([t.encode("utf-8") for t in tokens])
    return reference.hashvalues


def token_sets(count: int) -> list[set[str]]:
    rng = random.Random(20261122)
    sets = [set(), {""}, {"x"}]
    while len(sets) < count:
        size = rng.choice([1, 2, 5, 30, 300, 3000])
        sets.append({"".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 14)))
                     for _ in range(size)})
    return sets


@pytest.mark.parametrize("num_perm", [DUP_PERMUTATIONS, STORY_PERMUTATIONS, 7])
def test_numpy_minhash_equals_datasketch(num_perm):
    for tokens in token_sets(60):
        ours = minhash(tokens, num_perm)
        theirs = datasketch_hashvalues(tokens, num_perm)
        assert ours.dtype == np.uint32 and ours.shape == (num_perm,)
        assert np.array_equal(ours, theirs), sorted(tokens)[:5]


def test_signatures_and_band_keys_of_the_seeds_equal_datasketch():
    for path in SEED_FILES:
        text = path.read_text(encoding="utf-8")
        tokens = shingles(text)
        reference = Signature(len(tokens), datasketch_hashvalues(tokens, DUP_PERMUTATIONS))
        signature = Signature.of(text)
        assert signature.to_blob() == reference.to_blob()
        assert signature.band_keys() == reference.band_keys()
        assert np.array_equal(minhash(vocabulary(text), STORY_PERMUTATIONS),
                              datasketch_hashvalues(vocabulary(text), STORY_PERMUTATIONS))


# Computed with the datasketch-based code this replaced (seed, shingles, SHA-256 of the two
# stored blobs, first two band keys): a later datasketch cannot move the goal posts.
RECORDED = {
    "000_d3850a9b3f2c27e3.txt": (
        627, "95935fa1fc93fd155270373ee5d55d8881a5c1505921d6748ee57a48f96c92c3",
        [580214773328240727, 3185730006714320092]),
    "001_320f29bc71bb23e6.txt": (
        573, "8c54a0839c7a4ca2383bf9df6a350a051e7a58b37d1b9a2f85f68923852d97d1",
        [875938475248764187, -856538371133221231]),
    "004_7500bd3d4b4e77f2.txt": (
        713, "b37adc92f546155298cd5851c592c45c567437007c83f4b72ba84744a5523db6",
        [611197284566826655, -6543137093301599451]),
}


@pytest.mark.parametrize("name", sorted(RECORDED))
def test_seed_signatures_equal_the_recorded_ones(name):
    shingles, blobs_sha256, first_band_keys = RECORDED[name]
    path = next(p for p in SEED_FILES if p.name == name)
    text = path.read_text(encoding="utf-8")
    signature = Signature.of(text)
    # the story signature is no longer stored; the old story rule still computes it
    story_blob = minhash(vocabulary(text), STORY_PERMUTATIONS).astype("<u4").tobytes()
    assert signature.shingles == shingles
    assert hashlib.sha256(signature.to_blob() + story_blob).hexdigest() == blobs_sha256
    assert signature.band_keys()[:2] == first_band_keys


def test_resemblance_with_many_signatures_at_once():
    """An edited copy, a copy cut to its first half and another article, in one call."""
    text = SEED_FILES[0].read_text(encoding="utf-8")
    lines = text.splitlines()
    edited = text + "\nوأضاف مصدر آخر أن الاجتماع سيعقد الأسبوع المقبل"
    half = "\n".join(lines[: len(lines) // 2])
    other = SEED_FILES[1].read_text(encoding="utf-8")
    signature = Signature.of(text)
    jaccard, containment = signature.resemblance([Signature.of(t) for t in (text, edited,
                                                                              half, other)])
    assert jaccard[0] == containment[0] == 1.0
    assert jaccard[1] > 0.6 and containment[1] > 0.6
    assert jaccard[2] < 0.8 and containment[2] > 0.8   # contained, not similar
    assert jaccard[3] < 0.05 and containment[3] < 0.1
    assert [len(a) for a in signature.resemblance([])] == [0, 0]
