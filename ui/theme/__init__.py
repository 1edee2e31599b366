"""Design tokens and the QSS theme built from them."""
