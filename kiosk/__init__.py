"""乐业西青 kiosk core: everything a resident or staff action means, with no Qt in it."""

__version__ = "0.1.0"
