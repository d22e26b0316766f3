"""Shared decoders for the document analyzers: numbers, dates, gazetteer, aliases, text units.

Private package: pure functions over strings, each unit-tested with the project's own sentences.
"""
