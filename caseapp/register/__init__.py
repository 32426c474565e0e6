"""The register every domain links to: residents (data subjects), households and staff assignments,
with the one way to find, create and scope them; its pages and API are the `pages` sub-package."""
