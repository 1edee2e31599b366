"""Second-generation ID card readers (GA 467 SAM over a serial line)."""
