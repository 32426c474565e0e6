"""Authentication, roles, permissions and object policies."""
