"""Metrc's own REST API v2 (integrator key + user key, PascalCase JSON): the ``metrc`` backend."""
