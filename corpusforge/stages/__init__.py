"""Built-in stages: thin wrappers that turn library calls into pipeline nodes.

Every module here is imported by `registry.all_stages()` and registers its classes.
"""
