"""Skilled-talent system: occupations, standards, certification routes, certificates."""
