# syntax=docker/dockerfile:1
# obslint container image, built from Debian 12 packages only.
#
#   docker build --target runtime -t obslint .      # the CLI, runs as a non-root user
#   docker run --rm -v "$PWD:/src" -w /src obslint .
#
# The default (last) target, `action`, is what the GitHub Action (action.yml)
# and the pre-commit `obslint` hook build. It is the same image running as
# root, because GitHub requires it: Docker actions "must be run by the default
# Docker user (root)", otherwise they cannot write to GITHUB_WORKSPACE or the
# step summary/output files the runner mounts. pre-commit runs the container
# with `-u <your uid>:<your gid>` anyway, so the image's user does not matter
# there.

# ---------------------------------------------------------------- build
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libyaml-cpp-dev rapidjson-dev libcli11-dev libre2-dev libfmt-dev doctest-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release \
 && cmake --build /build --target obslint \
 && strip /build/obslint \
 && /build/obslint --version

# ---------------------------------------------------------------- runtime
FROM debian:12-slim AS runtime
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libyaml-cpp0.7 libre2-9 libfmt9 \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin obslint
COPY --from=build /build/obslint /usr/local/bin/obslint
COPY scripts/action-entrypoint.sh /usr/local/bin/obslint-action
RUN chmod 0755 /usr/local/bin/obslint /usr/local/bin/obslint-action \
 && obslint --version
LABEL org.opencontainers.image.title="obslint" \
      org.opencontainers.image.description="Linter for docker-compose observability stacks" \
      org.opencontainers.image.source="https://github.com/obslint/obslint"
WORKDIR /src
USER obslint
ENTRYPOINT ["obslint"]

# ---------------------------------------------------------------- action
# GitHub Action and pre-commit `language: docker` build this default target.
FROM runtime AS action
USER root
ENTRYPOINT ["obslint"]
