"""Balanced mini-batches for deep-learning loops (numpy batches; TensorFlow not needed)."""

from ._generator import balanced_batch_generator

__all__ = ["balanced_batch_generator"]
