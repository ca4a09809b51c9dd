"""Rendering results for people and programs."""
