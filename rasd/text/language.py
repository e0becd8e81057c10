"""Language detection with langdetect.

langdetect is probabilistic; a fixed seed makes the same text always get the same answer.
"""
from __future__ import annotations

from langdetect import DetectorFactory, LangDetectException, detect

DetectorFactory.seed = 0


def detect_language(text: str) -> str:
    """ISO 639-1 code of `text`, or 'unknown' when langdetect finds no letters to go on."""
    try:
        return detect(text)
    except LangDetectException:
        return "unknown"
