# Set-up, demo and tests. `make demo` and `make test` work on a fresh Debian machine with Swift installed:
# they install the C libraries proforma links against when they are missing.

DEBIAN_PACKAGES := pkg-config git libyaml-dev libgit2-dev zlib1g-dev libsqlite3-dev
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo build test

deps:
	@missing=""; \
	for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@# PostgreSQL for the SQL tests (a server of their own); without it they are skipped, saying so.
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing Debian packages: postgresql"; \
	  { $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || \
	  echo "PostgreSQL could not be installed: the PostgreSQL SQL tests will be skipped"; }
	@python3 -c "import jsonschema, yaml, duckdb, sqlglot" 2>/dev/null || python3 -m pip install -q jsonschema pyyaml duckdb sqlglot

build: deps
	swift build --product proforma

# examples/msp as a repository of its own in .build/demo/msp, applied to its embedded state store, and a proposed
# markup change planned against it with its invoice impact.
demo: build
	examples/demo.sh .build/debug/proforma .build/demo

test: deps
	swift test
