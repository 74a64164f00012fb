# syntax=docker/dockerfile:1
# obslint built from source, in the same shape as the published image
# (packaging/Containerfile): one static binary FROM scratch.
#
#   docker build -t obslint .
#   docker run --rm -v "$PWD:/src:ro" obslint .
#
# Users do not need this file: the GitHub Action and the pre-commit `obslint`
# hook run the published image ghcr.io/obslint/obslint. It serves the
# pre-commit `obslint-source` hook (`language: docker` builds the Dockerfile
# of the pinned revision: for forks and unreleased commits) and anyone who
# wants to build the image themselves. Only Debian 12 packages are used.

# ---------------------------------------------------------------- build
FROM debian:12 AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      g++ cmake ninja-build pkg-config \
      libyaml-cpp-dev rapidjson-dev libcli11-dev libre2-dev libfmt-dev doctest-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DOBSLINT_STATIC=ON \
 && cmake --build /build --target obslint \
 && strip /build/obslint \
 && /build/obslint --version

# ---------------------------------------------------------------- image
# Runs as root, as GitHub requires of Docker actions; pre-commit passes your
# uid and gid with -u. There is nothing else in the image.
FROM scratch
COPY --from=build /build/obslint /usr/local/bin/obslint
WORKDIR /src
ENTRYPOINT ["/usr/local/bin/obslint"]
LABEL org.opencontainers.image.title="obslint" \
      org.opencontainers.image.description="Linter for docker-compose observability stacks" \
      org.opencontainers.image.source="https://github.com/obslint/obslint"
