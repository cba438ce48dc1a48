#!/usr/bin/env python3
"""Checks the examples with a standard JSON Schema validator, against the schemas in the top-level schemas/ folder.

  * Every document of every YAML file of examples/msp and examples/enterprise must be valid for the schema of its
    kind, and for the schema its first line names for editors (`# yaml-language-server: $schema=...`).
  * In each folder of SCHEMA_LEVEL (examples/invalid), the file named there must be rejected and every other
    YAML file of the folder accepted.

A document whose kind is not one of the known kinds (no mapping, no `kind`, an unknown `kind`) counts as invalid.
Documents are read with PyYAML's safe_load_all and checked with jsonschema's Draft202012Validator.

Usage:    python3 examples/check_schemas.py [PACKAGE_ROOT]     (default: the folder above this script's folder)
Exit:     0 every check as expected, 1 a check failed, 2 PyYAML or jsonschema is not installed.
Requires: pip install jsonschema PyYAML
"""

import json
import os
import re
import sys

try:
    import yaml
    from jsonschema import Draft202012Validator
except ImportError as error:  # the Swift test skips on exit status 2
    print(f"missing Python package: {error.name} (pip install jsonschema PyYAML)", file=sys.stderr)
    sys.exit(2)

# The realistic examples: every file must be accepted.
VALID_EXAMPLES = ["examples/msp", "examples/enterprise"]

# The invalid examples whose problem a JSON Schema can catch, with the file that holds it. Every other YAML file of
# the folder must be accepted. Keep in step with the "schema" column of examples/invalid/README.md.
SCHEMA_LEVEL = {
    "PF107-lfs-pointer": "line-items.yaml",  # a pointer file reads as one text, not a mapping with a kind
    "PF200-not-a-mapping": "line-items.yaml",  # a list, not a mapping
    "PF201-missing-kind": "line-items.yaml",  # no kind
    "PF202-unknown-kind": "line-items.yaml",  # kind not among the known kinds
    "PF203-unknown-field": "line-items.yaml",  # additionalProperties: false
    "PF204-missing-field": "line-items.yaml",  # required
    "PF205-wrong-type": "line-items.yaml",  # a quoted number is a string
    "PF206-invalid-value": "pricing.yaml",  # enum
    "PF207-invalid-decimal": "line-items.yaml",  # "1,250.00" is a string
    "PF208-invalid-period": "line-items.yaml",  # 2026-10-01 is a date, not a YYYY-MM string
    "PF209-invalid-name": "line-items.yaml",  # name pattern
    "PF210-invalid-account-id": "accounts.yaml",  # an unquoted number, not a 12-digit string
    "PF211-numeric-account-id": "accounts.yaml",  # an unquoted number, not a string
    "PF212-too-long": "line-items.yaml",  # maxLength
    "PF214-unsupported-version": "proforma.yaml",  # version: maximum 1
    "PF308-duplicate-list-entry": "billing-group.yaml",  # uniqueItems
    "PF503-modifier-range": "pricing.yaml",  # minimum 0
    "PF601-charge-range": "line-items.yaml",  # minimum 0
}

HEADER = re.compile(r"^#\s*yaml-language-server:\s*\$schema=(\S+)\s*$")


def schema_file_name(kind):
    """BillingGroup -> billing-group.schema.json, as `proforma schema` names them."""
    return re.sub(r"(?<!^)([A-Z])", r"-\1", kind).lower() + ".schema.json"


class Checker:
    def __init__(self, root):
        self.root = root
        self.schemas_dir = os.path.join(root, "schemas")
        self.validators = {}
        self.kinds = set()
        for name in sorted(os.listdir(self.schemas_dir)):
            if not name.endswith(".schema.json"):
                continue
            schema = self.load_schema(os.path.join(self.schemas_dir, name))
            kind = schema.get("properties", {}).get("kind", {}).get("const")
            if kind:
                self.kinds.add(kind)
                assert schema_file_name(kind) == name, f"{name}: schema of {kind} has an unexpected file name"
        self.failures = 0

    def load_schema(self, path):
        with open(path, encoding="utf-8") as handle:
            schema = json.load(handle)
        Draft202012Validator.check_schema(schema)
        return schema

    def validator(self, path):
        path = os.path.normpath(path)
        if path not in self.validators:
            self.validators[path] = Draft202012Validator(self.load_schema(path))
        return self.validators[path]

    def problems(self, path, header_schema=None):
        """The problems of every document of the file at `path` (empty when all are valid)."""
        with open(path, "rb") as handle:
            data = handle.read()
        try:
            documents = list(yaml.safe_load_all(data.decode("utf-8")))
        except (UnicodeDecodeError, yaml.YAMLError) as error:
            return [f"not readable as YAML: {error}".replace("\n", " ")]
        found = []
        for index, document in enumerate(documents, start=1):
            if document is None:
                continue  # an empty document (comments only)
            kind = document.get("kind") if isinstance(document, dict) else None
            if not isinstance(kind, str) or kind not in self.kinds:
                found.append(f"document {index}: unknown kind {kind!r}" if kind is not None
                             else f"document {index}: no kind ({type(document).__name__})")
                continue
            schemas = [os.path.join(self.schemas_dir, schema_file_name(kind))]
            if header_schema:
                schemas.append(header_schema)
            for schema in schemas:
                for error in sorted(self.validator(schema).iter_errors(document), key=lambda e: list(e.path)):
                    where = "/".join(str(part) for part in error.absolute_path) or "(document)"
                    found.append(f"document {index} ({kind}), {where}: {error.message} "
                                 f"[{os.path.relpath(schema, self.root)}]")
        return found

    def report(self, ok, path, detail=""):
        relative = os.path.relpath(path, self.root)
        print(f"{'ok  ' if ok else 'FAIL'} {relative}{': ' + detail if detail else ''}")
        if not ok:
            self.failures += 1

    def yaml_files(self, folder):
        for directory, subdirectories, files in os.walk(folder):
            subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
            for name in sorted(files):
                path = os.path.join(directory, name)
                if name.endswith((".yaml", ".yml")) and not os.path.islink(path):
                    yield path

    def check_valid_example(self, folder):
        files = list(self.yaml_files(folder))
        if not files:
            self.report(False, folder, "no YAML files")
        for path in files:
            with open(path, encoding="utf-8") as handle:
                first_line = handle.readline().rstrip("\n")
            match = HEADER.match(first_line)
            if not match:
                self.report(False, path, "the first line does not name a schema (# yaml-language-server: $schema=...)")
                continue
            header_schema = os.path.join(os.path.dirname(path), match.group(1))
            if not os.path.isfile(header_schema):
                self.report(False, path, f"the schema named on the first line does not exist: {match.group(1)}")
                continue
            found = self.problems(path, header_schema)
            self.report(not found, path, "; ".join(found) if found else "accepted")

    def check_invalid_example(self, folder, rejected):
        if not os.path.isdir(folder):
            self.report(False, folder, "no such folder")
            return
        names = [os.path.relpath(path, folder) for path in self.yaml_files(folder)]
        if rejected not in names:
            self.report(False, os.path.join(folder, rejected), "no such file")
        for name in names:
            path = os.path.join(folder, name)
            found = self.problems(path)
            if name == rejected:
                self.report(bool(found), path, "rejected: " + "; ".join(found) if found else "accepted, but should be rejected")
            else:
                self.report(not found, path, "; ".join(found) if found else "accepted")


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), ".."))
    checker = Checker(root)
    for folder in VALID_EXAMPLES:
        checker.check_valid_example(os.path.join(root, folder))
    for folder, rejected in sorted(SCHEMA_LEVEL.items()):
        checker.check_invalid_example(os.path.join(root, "examples/invalid", folder), rejected)
    if checker.failures:
        print(f"{checker.failures} check(s) failed", file=sys.stderr)
        return 1
    print("all schema checks passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
