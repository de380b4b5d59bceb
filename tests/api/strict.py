"""Every response an API test receives is checked against the OpenAPI schema, strictly: the
status must be declared for the operation, the content type too, and a JSON body must validate
with unknown properties forbidden (a field the schema does not name is a failure, as it is for a
generated client that drops it). tests/api/conftest.py installs the check around Django's test
client for every test in tests/api.

STRICT_SCHEMA=report collects the failures in build/strict-schema.txt instead of failing (how the
"before" figure of issue 14 was measured)."""

import copy
import json
import os
import re
from pathlib import Path

import jsonschema
from drf_spectacular.generators import SchemaGenerator

REPORT = os.environ.get("STRICT_SCHEMA") == "report"
REPORT_FILE = Path("build/strict-schema.txt")
UNCHECKED = ("/api/v1/schema/", "/api/v1/docs/")


def to_json_schema(node):
    """OpenAPI 3.0 schema objects -> JSON Schema 2020-12, objects closed."""
    if isinstance(node, list):
        return [to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: to_json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
            if "enum" in node:
                node["enum"] = [*node["enum"], None]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    if node.get("type") in ("object", ["object", "null"]) and "properties" in node:
        node.setdefault("additionalProperties", False)
    node.pop("readOnly", None)
    node.pop("writeOnly", None)
    return node


class StrictSchema:
    def __init__(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        schema = json.loads(json.dumps(schema, default=str))
        self.components = to_json_schema(schema.get("components", {}))
        self.operations = []
        for template, item in schema["paths"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            self.operations.append((re.compile(f"^{pattern}$"), item))
        self.failures = []
        self.checked = 0

    def operation(self, path, method):
        for pattern, item in self.operations:
            if pattern.match(path):
                return item.get(method.lower())
        return None

    def check(self, method, path, response):
        """A list of what is wrong with `response` (empty when it is as documented)."""
        if not path.startswith("/api/v1/") or path.startswith(UNCHECKED) or path == "/api/v1/":
            return []
        if method not in ("GET", "HEAD"):
            return []
        operation = self.operation(path, "GET")
        status = str(response.status_code)
        if operation is None:
            return [] if status in ("404", "301") else [f"{status} from an undocumented path"]
        declared = operation["responses"]
        if status not in declared:
            return [f"status {status} not declared (declared: {', '.join(sorted(declared))})"]
        content = declared[status].get("content")
        if status == "304" or method == "HEAD":
            return []
        media = response.get("Content-Type", "").split(";")[0].strip()
        if not content or media not in content:
            return [f"{status} {media} not declared"]
        if "json" not in media:
            return []
        root = {**copy.deepcopy(content[media]["schema"]), "components": self.components}
        validator = jsonschema.Draft202012Validator(
            root, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
        )
        return [
            f"{status} {'/'.join(str(p) for p in error.absolute_path) or '<body>'}: "
            f"{error.message[:300]}"
            for error in validator.iter_errors(json.loads(response.content))
        ]

    def record(self, test, method, path, response):
        problems = self.check(method, path, response)
        self.checked += 1
        if not problems:
            return
        if REPORT:
            self.failures.append((test, f"{method} {path}", problems))
            return
        raise AssertionError(
            f"{method} {path} does not match the OpenAPI schema:\n  " + "\n  ".join(problems[:10])
        )

    def write_report(self):
        if not REPORT:
            return
        REPORT_FILE.parent.mkdir(exist_ok=True)
        with REPORT_FILE.open("w") as out:
            out.write(f"{len(self.failures)} of {self.checked} responses fail strict validation\n")
            for test, request, problems in self.failures:
                out.write(f"{test}  {request}\n")
                for problem in problems[:5]:
                    out.write(f"    {problem}\n")
