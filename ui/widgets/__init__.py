"""Reusable touch widgets: buttons, tiles, dialogs, keypads."""
