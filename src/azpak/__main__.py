"""Entry point for ``python -m azpak``."""

from azpak.cli.app import main

if __name__ == "__main__":
    main()
