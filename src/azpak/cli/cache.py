"""``azpak cache``: where the compiled indexes are, and clearing them."""

import typer

from azpak.cli.options import OutputChoice, output_options
from azpak.cli.streams import stderr

#: ``azpak cache`` and its subcommands.
commands = typer.Typer(
    name="cache",
    help="The compiled index of the fact files: where it is, and clearing it.",
    no_args_is_help=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@commands.command("info")
@output_options
def cache_info(*, out: OutputChoice) -> None:
    """List the index files in the cache directory, their size, the fact files each covers, and whether it is current.

    The text index, built on the first text search (`search`, `--text`), is a file of its
    own beside the index: its size is given apart, with whether it is built.

    Examples:

      azpak cache info

      azpak cache info --format json
    """
    from azpak.render import Column, Listing
    from azpak.store.index import cache_dir, list_indexes
    from azpak.views.answers import Answer

    rows = [
        {
            "path": str(info.path),
            "bytes": info.bytes,
            "text_bytes": info.text_bytes,
            "text_built": info.text_built,
            "current": info.current,
            "damaged": info.damaged,
            "files": info.files,
        }
        for info in list_indexes()
    ]
    columns = [
        Column("path", "Index"),
        Column("bytes", "Bytes"),
        Column("text_bytes", "Text index bytes"),
        Column("text_built", "Text index built"),
        Column("current", "Current"),
        Column("damaged", "Damaged"),
        Column("files", "Files"),
    ]
    out.emit(Answer(Listing(rows, columns, "Indexes"), f"azpak: no index in {cache_dir()}."))


@commands.command("clear")
def cache_clear() -> None:
    """Delete every compiled index; the next command compiles the fact files again.

    Example:

      azpak cache clear
    """
    from azpak.store.index import cache_dir, clear_indexes

    try:
        removed = clear_indexes()
    except OSError as error:
        from azpak.errors import OutputError

        raise OutputError(f"cannot delete {error.filename or cache_dir()}: {error.strerror or error}") from None
    stderr(f"azpak: removed {removed} index file{'s' if removed != 1 else ''} from {cache_dir()}")
