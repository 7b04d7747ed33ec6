"""The export side's pages, one module per kind of object. Each view: access check → form →
one domain call → render or redirect."""
