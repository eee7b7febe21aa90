"""Entry point for ``python -m azpak``."""

from azpak.cli import main

if __name__ == "__main__":
    main()
