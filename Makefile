# Set-up, demo and tests. `make demo` and `make test` work on a fresh Debian machine with Swift installed:
# they install the C libraries proforma links against when they are missing.

DEBIAN_PACKAGES := pkg-config git libyaml-dev libgit2-dev zlib1g-dev libsqlite3-dev libxml2
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps demo build test docs

deps:
	@missing=""; \
	for package in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
	@python3 -c "import jsonschema, yaml" 2>/dev/null || python3 -m pip install -q jsonschema pyyaml

build: deps
	swift build --product proforma

# examples/msp as a repository of its own in .build/demo/msp, applied to its embedded state store, and a proposed
# markup change planned against it with its invoice impact.
demo: build
	examples/demo.sh .build/debug/proforma .build/demo

test: deps
	swift test


# What the documentation shows, rendered by the built proforma from examples/msp: one invoice as a customer receives
# it (docs/invoice-example.html, printable and self-contained, and its text), and the margin report over the two
# months as a page of charts (docs/margin-chart.html) and its charts alone (docs/margin-chart.svg). They name the
# commit that priced them; nothing in them depends on the time they are made.
docs: build
	mkdir -p docs
	.build/debug/proforma invoice -C examples/msp --group harbor-logistics --period 2026-10 --format html \
	  -o "$(CURDIR)/docs/invoice-example.html"
	.build/debug/proforma invoice -C examples/msp --group harbor-logistics --period 2026-10 --format text \
	  -o "$(CURDIR)/docs/invoice-example.txt"
	.build/debug/proforma report margin -C examples/msp --periods 2026-09..2026-10 --format html \
	  -o "$(CURDIR)/docs/margin-chart.html"
	.build/debug/proforma report margin -C examples/msp --periods 2026-09..2026-10 --format svg \
	  -o "$(CURDIR)/docs/margin-chart.svg"
