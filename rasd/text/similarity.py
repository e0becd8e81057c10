"""Text signatures for duplicate and story detection: fingerprint, MinHash, LSH band keys.

Everything works on `rasd.text.normalize.normalize`d words, so a copy that differs only in
diacritics, alef forms or punctuation is the same text. Two MinHash signatures:
- duplicates: word 5-shingles. Distinct articles about the same event share almost none
  (the seeds 000, 001 and 003 share <1%), while an edited copy keeps most, and a copy cut to its
  first half keeps half of the union and all of its own (containment ~1).
- stories (the rule before rasd.text.stories, kept for benchmarks/story_quality.py): the set of
  words of 4+ letters. Articles on one event share names and places (Jaccard ~0.09-0.19 among
  the seeds), unrelated ones far less (<= 0.06). Not stored any more (schema version 8
  dropped its column).
LSH band keys (42 bands of 3 rows) let SQLite find the candidate duplicates with indexed
lookups, so checking one article costs the same whatever the size of the database.

The MinHash is datasketch's (>= 2.0, scheme "affine32", seed 1), bit for bit, in a few lines of
numpy: the signatures already stored in databases stay comparable, and a command does not pay
for importing datasketch and the scipy it pulls in.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from rasd.text.normalize import normalize

SHINGLE_WORDS = 5
DUP_PERMUTATIONS = 128
BANDS, ROWS = 42, 3              # P(candidate) = 1-(1-J^3)^42: 0.99 at J=0.5, 4e-5 at J=0.01
STORY_PERMUTATIONS = 256         # stories compare at J ~0.07-0.1: more permutations, less noise
STORY_MIN_LETTERS = 4
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The normalized words of `text`, punctuation and spacing ignored."""
    return _WORD.findall(normalize(text))


def fingerprint(text: str) -> str:
    """Exact-duplicate key: SHA-256 of the normalized words."""
    return hashlib.sha256(" ".join(words(text)).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """The word 5-shingles of `text`: what a duplicate's signature is made of."""
    w = words(text)
    return {" ".join(w[i:i + SHINGLE_WORDS]) for i in range(max(1, len(w) - SHINGLE_WORDS + 1))}


def vocabulary(text: str) -> set[str]:
    """The words of 4+ letters: the old story rule's tokens."""
    return {x for x in words(text) if len(x) >= STORY_MIN_LETTERS and not x.isdigit()}


@cache
def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The affine permutations h -> a*h + b mod 2^32 (odd a), as datasketch draws them."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's finalizer: datasketch mixes every token hash with it once."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def minhash(tokens: set[str], num_perm: int) -> np.ndarray:
    """uint32[num_perm]: the least permuted hash of the tokens under each permutation (all
    2^32-1 for no token). A token's hash is the first 4 bytes of its SHA-1, little-endian."""
    signature = np.full(num_perm, 0xFFFFFFFF, dtype=np.uint32)
    if not tokens:
        return signature
    hashes = np.frombuffer(b"".join(hashlib.sha1(t.encode("utf-8")).digest()[:4]
                                    for t in tokens), dtype="<u4").astype(np.uint32)
    a, b = _permutations(num_perm)
    permuted = _fmix32(hashes).reshape(-1, 1) * a + b   # wraps around: mod 2^32
    return np.minimum(signature, permuted.min(axis=0))


@dataclass
class Signature:
    """What is remembered of one article's text to recognize its copies and its story."""

    shingles: int                # how many distinct shingles (for containment)
    minhash: np.ndarray          # uint32[DUP_PERMUTATIONS]

    @classmethod
    def of(cls, text: str) -> Signature:
        tokens = shingles(text)
        return cls(len(tokens), minhash(tokens, DUP_PERMUTATIONS))

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per LSH band (the band number is part of the key)."""
        keys = []
        for band in range(BANDS):
            chunk = self.minhash[band * ROWS:(band + 1) * ROWS].astype("<u4").tobytes()
            digest = hashlib.blake2b(bytes([band]) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys

    def resemblance(self, others: list[Signature]) -> tuple[np.ndarray, np.ndarray]:
        """Estimated Jaccard of the shingles, and containment of the smaller text in the
        larger, with each of `others`: two arrays, in one pass however many there are (an
        article of a site that repeats its paragraphs has many LSH candidates)."""
        if not others:
            return np.zeros(0), np.zeros(0)
        jaccard = (np.stack([o.minhash for o in others]) == self.minhash).mean(axis=1)
        sizes = np.array([o.shingles for o in others])
        smaller = np.maximum(1, np.minimum(self.shingles, sizes))
        containment = jaccard * (self.shingles + sizes) / (1 + jaccard) / smaller
        return jaccard, np.minimum(1.0, containment)

    def to_blob(self) -> bytes:
        return self.minhash.astype("<u4").tobytes()

    @classmethod
    def from_row(cls, shingles: int, minhash: bytes) -> Signature:
        return cls(shingles, np.frombuffer(minhash, dtype="<u4"))
