"""Marshmallow schemas, shared by validation and the OpenAPI document."""
