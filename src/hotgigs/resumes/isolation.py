"""Text extraction in a child process with hard limits: no file can hold a worker.

The parsers below extraction (PDF, Office XML, HTML, OCR) are third-party code fed
untrusted files; some shapes (a page of 100,000 nested elements, a content bomb) cost time
or memory far beyond the file's size. Each file is therefore read in a forked child with a
CPU-time and an address-space limit and a wall-clock deadline. A file that hits one fails
alone with a clear reason, and the worker goes on with the next.
"""

from __future__ import annotations

import functools
import gc
import json
import os
import resource
import select
import signal
import time
from dataclasses import asdict, dataclass

from hotgigs.config import Settings
from hotgigs.resumes import extraction
from hotgigs.resumes.extraction import ExtractedText, ExtractionError

# Wall time allowed beyond the CPU limit: OCR runs Tesseract in processes of its own, whose
# CPU time the child's limit does not count, and a busy machine shares its cores.
WALL_FACTOR = 2.0
_READ_CHUNK = 1 << 16


@dataclass(frozen=True)
class ExtractionLimits:
    """What reading one file may cost."""

    cpu_seconds: int
    memory_bytes: int

    @classmethod
    def of(cls, settings: Settings) -> ExtractionLimits:
        """The limits the settings ask for."""
        return cls(
            cpu_seconds=settings.extraction_cpu_seconds,
            memory_bytes=settings.extraction_memory_mb * 1024 * 1024,
        )

    @property
    def wall_seconds(self) -> float:
        """The deadline after which the child is killed, whatever it is doing."""
        return self.cpu_seconds * WALL_FACTOR + 5


def _too_costly(limits: ExtractionLimits) -> ExtractionError:
    return ExtractionError(
        "too_complex",
        f"The file needs more than {limits.cpu_seconds} s or "
        f"{limits.memory_bytes // (1024 * 1024)} MB to read, far more than a resume does; "
        "it may be built to stall a reader. Save it again as PDF or DOCX and upload that.",
    )


def extract_text_limited(
    data: bytes, *, max_bytes: int, ocr: bool, limits: ExtractionLimits
) -> ExtractedText:
    """`extraction.extract_text` in a child process held to `limits`; raises ExtractionError."""
    _load_readers_once()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: limit itself, extract, write the outcome, leave at once
        os.close(read_end)
        _run_child(data, max_bytes=max_bytes, ocr=ocr, limits=limits, out=write_end)
    os.close(write_end)
    try:
        payload, finished = _read_until(read_end, deadline=time.monotonic() + limits.wall_seconds)
    finally:
        os.close(read_end)
    if not finished:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if not finished or os.WIFSIGNALED(status) or not payload:
        # Killed by the deadline, by the CPU limit (SIGXCPU, then SIGKILL) or out of memory.
        raise _too_costly(limits)
    return _outcome(json.loads(payload))


@functools.cache
def _load_readers_once() -> None:
    """The readers' libraries, loaded here once rather than in every child (tens of ms each)."""
    extraction.load_readers()


def _run_child(
    data: bytes, *, max_bytes: int, ocr: bool, limits: ExtractionLimits, out: int
) -> None:
    """Extract under the limits and write the JSON outcome to `out`; never returns."""
    code = 0
    # The parent's objects are never freed here; a collection that walked them would write to,
    # and so copy, every page of the parent's memory the child shares.
    gc.freeze()
    try:
        _limit_this_process(limits)
        try:
            result = extraction.extract_text(data, max_bytes=max_bytes, ocr=ocr)
            outcome = {"text": asdict(result)}
        except ExtractionError as exc:
            outcome = {"error": {"code": exc.code, "message": exc.message}}
        body = json.dumps(outcome).encode()
        with os.fdopen(out, "wb") as pipe:
            pipe.write(body)
    except BaseException:  # out of memory while writing, or anything else: report nothing
        code = 1
    finally:
        # No cleanup of what the parent owns (database connections, temporary files).
        os._exit(code)


def _limit_this_process(limits: ExtractionLimits) -> None:
    """CPU seconds, then SIGXCPU (SIGKILL a second later); address space beyond today's."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_seconds, limits.cpu_seconds + 1))
    # A worker maps gigabytes of libraries it never touches here: allow what is mapped now
    # plus the budget, rather than a total the process may already exceed.
    mapped = _mapped_bytes()
    if mapped is not None:
        ceiling = mapped + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _mapped_bytes() -> int | None:
    """This process's virtual memory size (Linux), or None where it cannot be read."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _read_until(fd: int, *, deadline: float) -> tuple[bytes, bool]:
    """Everything the child writes, and whether it finished before the deadline."""
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"", False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            return b"", False
        chunk = os.read(fd, _READ_CHUNK)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


def _outcome(message: dict) -> ExtractedText:
    """The child's answer: the extracted text, or its ExtractionError raised here."""
    if "error" in message:
        raise ExtractionError(message["error"]["code"], message["error"]["message"])
    fields = message["text"]
    return ExtractedText(**{**fields, "warnings": tuple(fields["warnings"])})
