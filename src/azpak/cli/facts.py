"""Commands on fact files themselves: ``validate`` and ``schema``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from azpak.cli.options import DataOption, FactFiles, NoDefaultOption
from azpak.cli.streams import stderr
from azpak.errors import DataError, NoInputError

#: The commands of this module, built by the app only when one of them runs.
commands = typer.Typer()

#: How many hints (advice that is not a problem) ``validate`` prints.
HINTS_SHOWN = 3


@commands.command()
def validate(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(
            metavar="[PATH]...",
            help="Fact files or directories to check (with the shipped facts unless --no-default).",
            show_default=False,
        ),
    ] = None,
    sources: Annotated[
        Optional[Path],
        typer.Option(
            "--sources",
            metavar="DIR",
            help="Also check every evidence excerpt against the source texts DIR/<source-id>.txt.",
            show_default=False,
        ),
    ] = None,
    data: DataOption = None,
    no_default: NoDefaultOption = False,
) -> None:
    """Check fact files and report every problem, one per line: file:line:column: path: what is wrong.

    With no PATH, checks what the other commands would load (the shipped facts,
    AZPAK_DATA and --data). Given paths, checks them together with the shipped
    facts they may refer to (and any --data files); with --no-default, on their
    own. Problems go to stdout, the summary to stderr. Exits 65 when any problem
    is found, 66 when a file cannot be read.

    Examples:

      azpak validate

      azpak validate my-facts.yaml

      azpak validate --no-default complete-facts.yaml

      azpak validate --sources texts/ my-facts.yaml
    """
    from azpak.facts.files import default_fact_file, expand_paths
    from azpak.facts.load import validate_files

    extra = [*(data or []), *paths] if paths else FactFiles(data).extra_paths()
    files = ([] if no_default else [default_fact_file()]) + extra
    if not files:
        raise NoInputError("nothing to validate: give a PATH, or drop --no-default")
    result = validate_files(expand_paths(files), marks=True)
    problems = list(result.problems)
    if sources is not None:
        from azpak.facts.evidence import check_evidence

        problems += check_evidence(result, sources)
        order = {name: index for index, name in enumerate(result.files)}
        problems.sort(key=lambda p: (order.get(p.file, len(order)), p.line, p.column))
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    sys.stdout.flush()
    for hint in result.hints[:HINTS_SHOWN]:
        stderr(f"hint: {hint}")
    if len(result.hints) > HINTS_SHOWN:
        stderr(f"hint: … and {len(result.hints) - HINTS_SHOWN} more records in the one-source form")
    count = len(problems)
    files_noun = "file" if len(result.files) == 1 else "files"
    if not count:
        records = sum(len(records) for records in result.records.values())
        stderr(f"azpak: {len(result.files)} {files_noun} valid ({records} records)")
        return
    noun = "problem" if count == 1 else "problems"
    summary = f"{count} {noun} in {len(result.files)} {files_noun}"
    if result.missing_input and all(p.line == 0 for p in problems):
        raise NoInputError(f"cannot read fact files: {summary}")
    raise DataError(f"invalid fact files: {summary}")


@commands.command()
def schema() -> None:
    """Print the JSON Schema of a fact file, for editors that validate YAML as you type.

    Put the schema somewhere your editor can read it and name it on the first
    line of a fact file (yaml-language-server, used by VS Code and others):

      # yaml-language-server: $schema=azpak-facts.schema.json

    The schema checks fields, types, required fields, allowed values and the
    forms of ids and dates; `azpak validate` checks the rest.

    Example:

      azpak schema > azpak-facts.schema.json
    """
    import json

    from azpak.facts.jsonschema import fact_file_schema

    sys.stdout.write(json.dumps(fact_file_schema(), indent=2, ensure_ascii=False) + "\n")
    sys.stdout.flush()
