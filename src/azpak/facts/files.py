"""Which fact files a command reads: the shipped one, and the files and directories a user names."""

from __future__ import annotations

from pathlib import Path

from azpak.errors import NoInputError

__all__ = ["default_fact_file", "expand_paths"]


def default_fact_file() -> Path:
    """The shipped fact base: inside the installed package, or in the source tree."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "data" / "facts.yaml"
    if packaged.is_file():
        return packaged
    return package.parent.parent / "data" / "facts.yaml"


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files named directly, and the *.yaml / *.yml files of directories in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
            if not found:
                raise NoInputError(f"{path}: directory has no *.yaml or *.yml files")
            files.extend(found)
        else:
            files.append(path)
    return files
