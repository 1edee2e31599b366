"""Qt item models over the core's data (lists that views page through lazily)."""
