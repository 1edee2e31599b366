"""Qt-free hardware drivers: each device behind a small interface with a simulator beside it."""
