# The application image: one image for every process of a deployment at scale
# (`digest schedule`, `digest worker`, `digest serve`, one-off `digest send`),
# chosen by the command.  Configuration and secrets come from outside: mount
# config.toml (and templates) at /srv/digest, pass secrets as environment
# variables.
#
#   docker build -t digest .
#   docker run --rm -v /srv/digest:/srv/digest --env-file secrets.env digest schedule
#   docker run --rm -v /srv/digest:/srv/digest --env-file secrets.env digest worker
#   docker run --rm -p 8030:8030 -v /srv/digest:/srv/digest --env-file secrets.env \
#       digest serve --host 0.0.0.0 --port 8030
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# No system packages are needed: every dependency ships as a wheel (lxml, Pillow,
# psycopg[binary], cryptography...).
RUN useradd --system --create-home --home-dir /srv/digest --uid 10001 digest

WORKDIR /opt/digest
COPY pyproject.toml README.md ./
COPY digest ./digest
COPY templates ./templates
RUN pip install ".[postgres,queue,ses]"

USER digest
WORKDIR /srv/digest
# Each container needs a host name of its own (Docker gives one): edition locks and
# workers' claims name their holder by host name and process id.
ENTRYPOINT ["digest", "--config", "/srv/digest/config.toml"]
CMD ["schedule"]
