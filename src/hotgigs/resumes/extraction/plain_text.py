"""Plain text: text files decoded from UTF-8/16/32, cp1252, latin-1 and the like."""

from __future__ import annotations

import codecs
import re
import unicodedata

from hotgigs.resumes.extraction.base import ExtractionError, _Raw

_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_BAD_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\x80-\x9f\ufffd]")


def _control_ratio(sample: bytes) -> float:
    if not sample:
        return 0.0
    return (len(sample) - len(sample.translate(None, _CONTROL_BYTES))) / len(sample)


def _decode_text(data: bytes, *, probe: bool = False) -> str | None:
    """Decode text bytes (UTF-8/16/32 with or without BOM, cp1252, latin-1...), else None."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            text = data.decode(encoding, "replace")
            return text if _text_is_clean(text) else None
    sample = data[:65536]
    if b"\0" in sample:
        # UTF-16 without a byte order mark puts NULs in every other byte for Latin text.
        evens, odds = sample[0::2], sample[1::2]
        for zeros, encoding in ((odds, "utf-16-le"), (evens, "utf-16-be")):
            if zeros and zeros.count(0) > 0.4 * len(zeros):
                text = data[: len(data) - len(data) % 2].decode(encoding, "replace")
                return text if _text_is_clean(text) else None
    if _control_ratio(sample) > 0.01:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        from charset_normalizer import from_bytes

        matches = from_bytes(sample if probe else data)
        best = matches.best()
        if best is None:
            return None
        encoding = best.encoding
        # Short Western texts fit several code pages equally well; Windows-1252 is by far
        # the likeliest of them.
        for match in matches:
            if match.encoding == "cp1252" and match.percent_chaos <= best.percent_chaos + 0.5:
                encoding = "cp1252"
                break
        text = data.decode(encoding, "replace")
    return text if _text_is_clean(text) else None


def _text_is_clean(text: str) -> bool:
    sample = text[:65536]
    if not sample.strip():
        return False
    bad = len(_BAD_TEXT.findall(sample))
    if not sample.isascii():
        bad += sum(1 for char in sample if ord(char) > 127 and unicodedata.category(char) == "Cn")
    return bad <= 0.01 * len(sample)


def _extract_txt(data: bytes, ocr: bool) -> _Raw:
    text = _decode_text(data)
    if text is None:
        raise ExtractionError("corrupt", "The text file's encoding could not be recognised.")
    return _Raw(text)
