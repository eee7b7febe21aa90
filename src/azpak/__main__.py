"""Entry point for ``python -m azpak``: the same process as the ``azpak`` command."""

from azpak.cli.entry import run

if __name__ == "__main__":
    run()
