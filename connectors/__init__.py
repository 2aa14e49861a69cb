"""Connectors: read the platforms' own export files into DiploPulse's store.

`connectors.base` is the interface, `connectors.formats` the built-in formats, and
`connectors.importer` the engine that applies the import rules the same way to all of them.
Command line: `python -m connectors import PATH...` and `python -m connectors status`.
"""
