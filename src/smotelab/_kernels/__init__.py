"""Kernels shared by the samplers: synthetic-row generation with provenance."""
