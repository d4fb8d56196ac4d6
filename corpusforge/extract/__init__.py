"""HTML -> main text with trafilatura (precise) or resiliparse (fast), under a per-document time-out."""
