"""Write forms, one per kind of write the registry (domain/writes.py) offers with a form."""
