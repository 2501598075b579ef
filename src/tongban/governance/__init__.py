"""Grassroots-governance system: the event loop, routing, deadlines, Open311."""
