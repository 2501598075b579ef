"""Database backends of the platform (thin layers over Django's own)."""
