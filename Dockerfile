# The production image of integrity-graph: the hashed runtime lock (requirements.lock; the test
# and lint tools are in requirements-dev.lock, never here), then the package, run as a
# non-root user. docker-compose.yml runs it against PostgreSQL 17.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/venv/bin:$PATH

WORKDIR /app

# Runtime dependencies first (their layer is reused until the lock changes), every file
# hash-checked.
COPY requirements.lock ./
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes -r requirements.lock

# The package itself: no dependency resolution, no build isolation (setuptools is locked).
COPY pyproject.toml README.md ./
COPY domains ./domains
COPY graph ./graph
COPY loaders ./loaders
COPY migrations ./migrations
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation . \
    && rm -rf build ./*.egg-info \
    && useradd --system --uid 10001 --home-dir /app integrity

USER integrity
EXPOSE 8000
ENV INTEGRITY_HOST=0.0.0.0 \
    INTEGRITY_PORT=8000

HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=2).status != 200)"]

# DATABASE_URL and INTEGRITY_ID_SECRET come from the environment (docker-compose.yml).
# exec: `integrity serve` is PID 1 and gets SIGTERM itself, so `docker stop` is graceful.
CMD ["sh", "-c", "integrity migrate && exec integrity serve --host 0.0.0.0 --port 8000"]
