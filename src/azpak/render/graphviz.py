"""Graphviz's ``dot``, run from this one place: DOT in, an image (SVG, PNG, PDF) out."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from azpak.errors import CannotWriteError, ExternalToolError

#: The image formats ``dot`` is asked for.
IMAGE_FORMATS = ("svg", "png", "pdf")

GRAPHVIZ_HELP = (
    "Install Graphviz (Debian/Ubuntu: sudo apt-get install graphviz; Fedora: sudo dnf install graphviz; "
    "macOS: brew install graphviz; Windows: winget install graphviz), "
    "or write DOT and render it elsewhere: azpak graph --format dot > network.dot"
)


def graphviz_image(dot_source: str, image_format: str, target: Path) -> bytes:
    """The image Graphviz's ``dot`` draws from ``dot_source``, to be written to ``target``.

    Errors name ``target``: ``dot`` missing or failing, or no directory to write it in
    (checked before a long render, not after it). The caller writes the file.
    """
    program = shutil.which("dot")
    if program is None:
        raise ExternalToolError(
            f"cannot write {target}: Graphviz's `dot` program is not on PATH.", details=[GRAPHVIZ_HELP]
        )
    if not target.parent.is_dir():
        raise CannotWriteError(f"cannot write {target}: no such directory {target.parent}")
    try:
        result = subprocess.run(
            [program, f"-T{image_format}"],
            input=dot_source.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExternalToolError(f"cannot write {target}: running Graphviz failed: {exc}") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ExternalToolError(f"cannot write {target}: Graphviz failed: {message}")
    image: bytes = result.stdout
    return image
