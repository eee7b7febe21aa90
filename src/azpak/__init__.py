"""azpak: a sourced fact base on Azerbaijan–Pakistan relations, and the CLI that answers from it."""

__version__ = "0.2.0"
