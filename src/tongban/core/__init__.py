"""Core registry: regions, organisations, people, employment, roles, audit."""
