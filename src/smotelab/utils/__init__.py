"""Shared machinery: validation, containers, random streams."""
