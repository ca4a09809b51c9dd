"""Rendering results for people and programs. Layer 6."""
