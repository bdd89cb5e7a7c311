# dialoogkit serve: the studio for a whole organisation, in one image.
#
#   docker build -t dialoogkit .
#   docker run --rm -p 8080:8080 -v dialoogkit-data:/data dialoogkit        # SQLite in /data
#
# deploy/compose.yaml runs two of these against PostgreSQL behind Caddy (HTTPS); deploy/README.md
# walks IT through it. tests/test_serve_deploy.py checks that this file installs what .ci/run installs.
FROM python:3.11-slim-bookworm

# System packages the server needs at run time: none beyond the base image. The fonts and the CMYK
# profile are package data; qpdf (pikepdf), PDFium, HarfBuzz, zxing-cpp and libpq (psycopg[binary])
# come inside their wheels; LibreOffice and Chromium are used by the tests only. tini runs as PID 1:
# it passes `docker stop`'s SIGTERM to the server and reaps the build workers' processes.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tini \
    && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PATH=/opt/dialoogkit/venv/bin:$PATH

# The project as README.md and .ci/run install it (a virtual environment, pip, the project folder),
# not editable and without the `test` extra: the image runs the server and no tests (the test tools
# are imported nowhere under src/; tests/test_serve_deploy.py asserts both).
WORKDIR /opt/dialoogkit/source
COPY pyproject.toml README.md ./
COPY src/ src/
RUN python3 -m venv /opt/dialoogkit/venv \
    && /opt/dialoogkit/venv/bin/pip install --no-cache-dir . \
    && /opt/dialoogkit/venv/bin/python -c "from dialoogkit.cards.results.names import warm_up; print(f'name finder tables built in {warm_up():.0f} s')"
# (warm_up builds deduce's lookup tables once, beside the library, while the image is made: otherwise
# every new container would spend 75-95 s on its first report and keep the tables nowhere.)

# A dedicated user without a login; /data (database for SQLite, kits, reports) belongs to it.
RUN groupadd --system --gid 10001 dialoogkit \
    && useradd --system --uid 10001 --gid dialoogkit --home-dir /data --shell /usr/sbin/nologin dialoogkit \
    && install -d -o dialoogkit -g dialoogkit -m 0700 /data
USER 10001:10001
WORKDIR /data
VOLUME ["/data"]

EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4)"]

ENTRYPOINT ["tini", "--"]
# SQLite in /data unless the command adds --database postgresql://… (see deploy/compose.yaml).
CMD ["dialoogkit", "serve", "--host", "0.0.0.0", "--port", "8080", "--data", "/data"]
