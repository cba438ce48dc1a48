# proforma in a container: built with Swift, run on Debian bookworm-slim with only the C libraries it links.
#
#   docker build -t proforma .
#   docker run --rm -v "$PWD:/work" proforma validate
#
# The binary carries the Swift runtime and Foundation (--static-swift-stdlib); the runtime image adds the shared C
# libraries it still needs (libgit2, libyaml, SQLite, zlib, libstdc++) and git, for repositories owned by another
# user (`git config --global --add safe.directory /work`).

ARG SWIFT_VERSION=6.3
ARG DEBIAN_VERSION=bookworm

FROM swift:${SWIFT_VERSION}-${DEBIAN_VERSION} AS build
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libyaml-dev libgit2-dev zlib1g-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN make install PREFIX=/out

FROM debian:${DEBIAN_VERSION}-slim
RUN apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libgit2-1.5 libyaml-0-2 libsqlite3-0 zlib1g libstdc++6 ca-certificates git \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/ /usr/local/
RUN git config --system --add safe.directory /work && proforma --version
WORKDIR /work
ENTRYPOINT ["proforma"]
CMD ["--help"]
