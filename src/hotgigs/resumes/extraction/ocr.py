"""OCR: text recognised in images and scanned pages with Tesseract (English)."""

from __future__ import annotations

import io
import shutil

from hotgigs.resumes.extraction.base import (
    _RESAVE,
    MAX_IMAGE_PIXELS,
    OCR_MAX_SIDE,
    OCR_PAGE_TIMEOUT,
    ExtractionError,
    _Raw,
)

_OCR_CHECK: dict[str, bool] = {}


def ocr_available() -> bool:
    """Whether Tesseract (Debian package tesseract-ocr, English data) can be used."""
    path = shutil.which("tesseract")
    if path is None:
        return False
    if path not in _OCR_CHECK:
        try:
            import pytesseract

            pytesseract.pytesseract.tesseract_cmd = path
            _OCR_CHECK[path] = "eng" in pytesseract.get_languages(config="")
        except Exception:
            _OCR_CHECK[path] = False
    return _OCR_CHECK[path]


def _ocr_image(image) -> str:
    """OCR one PIL image with Tesseract (English)."""
    import pytesseract

    path = shutil.which("tesseract")
    if path is None:
        raise ExtractionError("ocr_unavailable", _ocr_missing_message("file"))
    pytesseract.pytesseract.tesseract_cmd = path
    image = image.convert("L")
    longest = max(image.size)
    if longest > OCR_MAX_SIDE:
        factor = OCR_MAX_SIDE / longest
        image = image.resize(
            (max(1, int(image.width * factor)), max(1, int(image.height * factor)))
        )
    elif longest < 1000:
        image = image.resize((image.width * 2, image.height * 2))
    try:
        return pytesseract.image_to_string(
            image, lang="eng", config="--psm 3", timeout=OCR_PAGE_TIMEOUT
        )
    except pytesseract.TesseractNotFoundError as exc:
        raise ExtractionError("ocr_unavailable", _ocr_missing_message("file")) from exc
    except RuntimeError as exc:  # pytesseract's timeout
        if "timeout" in str(exc).lower():
            raise ExtractionError(
                "timeout",
                f"Recognising the text (OCR) took longer than {OCR_PAGE_TIMEOUT} seconds a page "
                "and was stopped.",
            ) from exc
        raise ExtractionError(
            "corrupt", "Text recognition (OCR) failed on this file; upload a clearer copy."
        ) from exc
    except pytesseract.TesseractError as exc:
        raise ExtractionError(
            "corrupt", "Text recognition (OCR) failed on this file; upload a clearer copy."
        ) from exc


def _ocr_missing_message(what: str) -> str:
    if what == "pdf":
        start = "The PDF looks scanned (its pages are images with no text layer)"
    else:
        start = "The image needs text recognition (OCR)"
    return f"{start}, and OCR is not installed on this server (Debian package tesseract-ocr)."


def _ocr_disabled_message(what: str) -> str:
    if what == "pdf":
        return (
            "The PDF looks scanned (its pages are images with no text layer), and text "
            "recognition (OCR) is turned off on this server."
        )
    return "The image needs text recognition (OCR), which is turned off on this server."


def _extract_image(data: bytes, ocr: bool) -> _Raw:
    from PIL import Image, ImageOps

    if not ocr:
        raise ExtractionError("ocr_unavailable", _ocr_disabled_message("image"))
    if not ocr_available():
        raise ExtractionError("ocr_unavailable", _ocr_missing_message("image"))
    # Pillow refuses images over twice Image.MAX_IMAGE_PIXELS when opening them; the size
    # check below refuses anything over MAX_IMAGE_PIXELS before pixels are decoded.
    try:
        with Image.open(io.BytesIO(data)) as opened:
            width, height = opened.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ExtractionError(
                    "too_large",
                    f"The image is {width}x{height} pixels, too large to read; upload a "
                    "smaller picture or a PDF.",
                )
            opened.load()
            image = ImageOps.exif_transpose(opened) or opened
            image = image.convert("L")
    except ExtractionError:
        raise
    except Image.DecompressionBombError as exc:
        raise ExtractionError(
            "too_large", "The image is too large to read; upload a smaller picture or a PDF."
        ) from exc
    except Exception as exc:
        raise ExtractionError(
            "corrupt", f"The image is damaged or incomplete and cannot be read. {_RESAVE}"
        ) from exc
    text = _ocr_image(image)
    return _Raw(
        text,
        pages=1,
        used_ocr=True,
        warnings=["The text was recognised from an image (OCR); check it for errors."],
    )
