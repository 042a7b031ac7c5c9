"""Every relative link of the project's Markdown leads somewhere.

Reads every tracked `*.md` file (as `git ls-files` lists them) and checks each Markdown link
that is not a URL: the file or folder it names exists, and its `#anchor`, when it has one, is
a heading of that Markdown file as GitHub makes anchors of headings (lower case, punctuation
dropped, spaces to hyphens, `-1`, `-2` … for repeats). Links inside code blocks and code spans
are not links. Prints each broken link with its file and line, and exits 1 if there is one.
"""

import functools
import re
import subprocess
import sys
from pathlib import Path

LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*(```|~~~)")
CODE_SPAN = re.compile(r"`[^`]*`")


def prose_lines(text):
    """(line number, line) of each line outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    """GitHub's anchor of a heading's text."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@functools.cache
def anchors(path):
    """Every anchor GitHub gives the headings of a Markdown file."""
    seen = {}
    found = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        if not line.startswith("#"):
            continue
        base = slug(line.lstrip("#"))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return frozenset(found)


def broken_links(path, root):
    """(line number, link, why) of each broken link in one Markdown file."""
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for match in LINK.finditer(CODE_SPAN.sub("", line)):
            link = match.group(1)
            if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # https:, mailto: …
                continue
            target, _, anchor = link.partition("#")
            resolved = (path.parent / target).resolve() if target else path.resolve()
            if root not in resolved.parents and resolved != root:
                yield number, link, "leads outside the repository"
            elif not resolved.exists():
                yield number, link, "no such file"
            elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved):
                yield number, link, f"no heading of {resolved.relative_to(root)} has this anchor"


def main():
    root = Path(__file__).resolve().parent.parent
    listed = subprocess.run(
        ["git", "ls-files", "*.md"], cwd=root, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    files = [root / name for name in listed]
    problems = 0
    for path in files:
        for number, link, why in broken_links(path, root):
            print(f"{path.relative_to(root)}:{number}: {link}: {why}")
            problems += 1
    print(f"{len(files)} Markdown files, {problems} broken links")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
