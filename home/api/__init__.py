"""Shared machinery of the headless content API (/api/v1/) and the home resources.

Each app owns its resources (platforms/api.py, concept/api.py); cms/urls.py wires them.
"""
