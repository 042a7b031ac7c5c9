"""Checks an export of `export-schemas` with Python's jsonschema, independently of Rust:
every document passes the Draft 7 meta-schema; every example validates against its event's
modular schema (schemas/, whose $refs name the documents of schemas/core/, resolved from the
files), its self-contained schema (self-contained/) and the bundle."""

import json
import pathlib
import sys

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def main(root):
    root = pathlib.Path(root).resolve()
    schemas_root = root / "schemas"
    core = sorted((schemas_root / "core").glob("*.json"))
    schemas = sorted(p for p in schemas_root.rglob("*.json") if p.parent.name != "core")
    examples = sorted((root / "examples").rglob("*.json"))
    bundle = load(root / "kafka-events-schema.json")
    if not schemas or not core or len(schemas) != len(examples):
        sys.exit(f"expected one example per schema and core documents, found {len(schemas)} schemas, "
                 f"{len(examples)} examples and {len(core)} core documents")
    Draft7Validator.check_schema(bundle)
    bundle_validator = Draft7Validator(bundle)

    def retrieve(uri):
        path = pathlib.Path(uri.removeprefix("file://"))
        if not path.is_relative_to(schemas_root):
            raise LookupError(f"{uri} is outside the export")
        return Resource.from_contents(load(path), default_specification=DRAFT7)

    registry = Registry(retrieve=retrieve)
    for path in core:
        Draft7Validator.check_schema(load(path))
    for schema_path in schemas:
        relative = schema_path.relative_to(schemas_root)
        example = load(root / "examples" / relative)
        modular = load(schema_path)
        Draft7Validator.check_schema(modular)
        Draft7Validator({"$ref": schema_path.as_uri()}, registry=registry).validate(example)
        self_contained = load(root / "self-contained" / relative)
        Draft7Validator.check_schema(self_contained)
        Draft7Validator(self_contained).validate(example)
        bundle_validator.validate(example)
        broken = dict(example, metadata=dict(example["metadata"], ttl="soon"))
        if Draft7Validator({"$ref": schema_path.as_uri()}, registry=registry).is_valid(broken):
            sys.exit(f"{relative}: the modular schema accepts a broken metadata.ttl")
    print(f"checked {len(schemas)} modular and self-contained schemas, {len(core)} core documents "
          f"and {len(examples)} examples with Python jsonschema (Draft 7 meta-schema)")
    print(f"jsonschema: {len(schemas)} passed, 0 failed")


if __name__ == "__main__":
    main(sys.argv[1])
