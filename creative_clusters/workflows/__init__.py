"""Workflows: the only layer that chains sources → classifications/geography → indicators → detection → reporting."""
