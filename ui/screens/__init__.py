"""One module per screen: ``<name>_screen.py`` holding ``<Name>Screen``."""
