"""Checks an export of `export-schemas` with Python's jsonschema, independently of Rust:
every schema document (and the bundle) passes the Draft 7 meta-schema, and every example
validates against its event's schema and against the bundle."""

import json
import pathlib
import sys

from jsonschema import Draft7Validator


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main(root):
    root = pathlib.Path(root)
    schemas = sorted((root / "schemas").rglob("*.json"))
    examples = sorted((root / "examples").rglob("*.json"))
    bundle = load(root / "kafka-events-schema.json")
    if not schemas or len(schemas) != len(examples):
        sys.exit(f"expected one example per schema, found {len(schemas)} schemas and {len(examples)} examples")
    Draft7Validator.check_schema(bundle)
    bundle_validator = Draft7Validator(bundle)
    for schema_path in schemas:
        schema = load(schema_path)
        Draft7Validator.check_schema(schema)
        example_path = root / "examples" / schema_path.relative_to(root / "schemas")
        example = load(example_path)
        Draft7Validator(schema).validate(example)
        bundle_validator.validate(example)
    print(f"checked {len(schemas)} schemas and examples with Python jsonschema (Draft 7 meta-schema)")
    print(f"jsonschema: {len(schemas)} passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
