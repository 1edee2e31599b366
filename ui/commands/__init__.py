"""`kiosk` subcommands that open Qt (run, screenshots, self-test).

They live in ui/ so the core stays Qt-free; kiosk/cli.py loads them by name, the way a
plugin registry would, and each imports Qt only inside its handler.
"""
