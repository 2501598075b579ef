"""tongban (通办): skilled-talent registry and grassroots-governance loop."""

__version__ = "0.1.0"
