"""The committed live editor's bundle (static/js/live-editor.js) is built from its sources
as they are now: `make demo` serves it without Node, so a change to the sources that is not
rebuilt (`npm run build`) would otherwise go unseen."""

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "static" / "js" / "live-editor"
BUNDLE = ROOT / "static" / "js" / "live-editor.js"


def sources_hash() -> str:
    """The hash build.mjs records: each source's name and text, then package-lock.json."""
    digest = hashlib.sha256()
    for path in sorted(SOURCES.iterdir()):
        if path.suffix in (".js", ".mjs"):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update((ROOT / "package-lock.json").read_bytes())
    return digest.hexdigest()


def test_the_bundle_records_the_hash_of_its_sources():
    first_line = BUNDLE.read_text().split("\n", 1)[0]
    assert first_line == f"// sources: {sources_hash()} (npm run build)", (
        "static/js/live-editor.js is behind its sources: run `npm run build` and commit it"
    )


def test_the_bundle_is_what_the_build_makes(tmp_path):
    # make test installs both (system-packages, then npm install from package.json).
    assert shutil.which("node"), "Node is missing: make system-packages SYSTEM_PACKAGES=test"
    assert (ROOT / "node_modules" / "esbuild").exists(), "esbuild is missing: run npm install"
    out = tmp_path / "live-editor.js"
    subprocess.run(
        ["node", str(SOURCES / "build.mjs")],
        check=True,
        cwd=ROOT,
        env={**os.environ, "LIVE_EDITOR_OUT": str(out)},
        timeout=120,
    )
    assert out.read_bytes() == BUNDLE.read_bytes()
